package io.callhook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.body.DocumentedKey;
import io.callhook.body.DocumentedKeys;
import io.callhook.deadletter.DeadLetterReason;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The guides say what the code does: every file a guide shows (golden webhook bodies, the
 * receivers' signature checks) is shown whole and as it is, the English and Russian guides show
 * the same files and the same commands, every field and documented parameter has its row, and
 * the reason codes and retry schedule are the code's.
 *
 * <p>After a deliberate change of a shown file, rewrite the guides' copies with
 * {@code mvn -pl docs -am test -Dtest=GuidesTest -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true}
 * and review the diff.
 */
class GuidesTest {

    private static final List<String> GUIDES = List.of("docs/producers.md", "docs/producers.ru.md",
            "docs/receivers.md", "docs/receivers.ru.md");
    private static final Pattern INCLUDE = Pattern.compile(
            "(<!-- include: (\\S+) -->\\n(`{3,})[^\\n]*\\n)(.*?)(\\n?\\3\\n)", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"docs/producers.md", "docs/producers.ru.md", "docs/receivers.md", "docs/receivers.ru.md"})
    void everyFileAGuideShowsIsShownWholeAndAsItIs(String guide) throws IOException {
        String text = Repo.read(guide);
        if (Boolean.getBoolean("docs.update")) {
            text = withIncludesRefreshed(text);
            Files.writeString(Repo.path(guide), text, StandardCharsets.UTF_8);
        }
        for (Markdown.Block block : Markdown.included(text)) {
            assertThat(block.text()).as("%s shows %s", guide, block.argument()).isEqualTo(withoutFinalNewline(Repo.read(block.argument())));
        }
    }

    @Test
    void theReceiverGuidesShowTheGoldenBodiesAndEverySignatureCheck() {
        List<String> shown = List.of(
                "payload-model/src/test/resources/golden/callkeeper-started.json",
                "payload-model/src/test/resources/golden/callkeeper-ended.json",
                "payload-model/src/test/resources/golden/calltracking-renamed.json",
                "payload-model/src/test/resources/golden/calltracking-renamed.form.txt",
                "payload-model/src/test/resources/golden/calltracking-renamed.get.txt",
                ReceiverSnippetsIT.Language.NODE.snippet, ReceiverSnippetsIT.Language.PYTHON.snippet,
                ReceiverSnippetsIT.Language.PHP.snippet, ReceiverSnippetsIT.Language.JAVA.snippet);
        for (String guide : List.of("docs/receivers.md", "docs/receivers.ru.md")) {
            assertThat(Markdown.included(Repo.read(guide))).extracting(Markdown.Block::argument).as(guide)
                    .containsExactlyElementsOf(shown);
        }
    }

    @Test
    void bothLanguagesRunTheSameCommands() {
        for (String command : List.of("node-producer", "node-attempts")) {
            assertThat(Markdown.command(Repo.read("docs/producers.ru.md"), command))
                    .isEqualTo(Markdown.command(Repo.read("docs/producers.md"), command));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/producers.md", "docs/producers.ru.md"})
    void theProducerGuidesHaveARowForEveryFieldAndEveryDocumentedParameter(String guide) {
        String text = Repo.read(guide);
        List<String> missing = new ArrayList<>();
        for (Schema schema : List.of(CallEvent.getClassSchema(), VisitSnapshot.getClassSchema(), Utm.getClassSchema(),
                Subscription.getClassSchema())) {
            schema.getFields().stream().map(field -> "`" + field.name() + "`").filter(name -> !text.contains(name)).forEach(missing::add);
        }
        for (DocumentedKey key : DocumentedKeys.leaves()) {
            String path = String.join(".", key.segments());
            String name = key.segments().get(key.segments().size() - 1);
            if (!text.contains("`" + path + "`") && !text.contains("`" + name + "`") && !text.contains("." + name + "`")) {
                missing.add(path);
            }
        }
        assertThat(missing).as("fields and webhook parameters %s does not name", guide).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/producers.md", "docs/producers.ru.md"})
    void theProducerGuidesNameEveryReasonCodeOfTheEnricher(String guide) {
        String text = Repo.read(guide);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            if (reason.writers().contains(DeadLetterReason.Writer.ENRICHER)) {
                assertThat(text).as(guide).contains("`" + reason.code() + "`");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/receivers.md", "docs/receivers.ru.md"})
    void theReceiverGuidesStateTheDefaultRetrySchedule(String guide) {
        assertThat(Repo.read(guide)).contains("`" + RetrySchedule.DEFAULT_TEXT + "`")
                .contains("±" + RetrySchedule.JITTER_PERCENT + " %");
    }

    @Test
    void theReadmeLinksEveryGuide() {
        String readme = Repo.read("README.md");
        for (String guide : GUIDES) {
            assertThat(readme).contains("(" + guide + ")");
        }
    }

    private static String withIncludesRefreshed(String text) {
        Matcher matcher = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String content = withoutFinalNewline(Repo.read(matcher.group(2)));
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + content
                    + (content.isEmpty() ? "" : "\n") + matcher.group(3) + "\n"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String withoutFinalNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
