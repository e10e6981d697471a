package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ToolsTest {

    @Test
    void aMissingToolFailsSayingHowToInstallIt() {
        assertThatThrownBy(() -> Tools.require(Path.of("/usr/bin/no-such-tool-here"), "no-such-package"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/usr/bin/no-such-tool-here is missing (Debian package no-such-package)")
                .hasMessageContaining("run scripts/install-test-deps.sh");
    }
}
