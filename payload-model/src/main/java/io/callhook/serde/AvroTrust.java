package io.callhook.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate our generated classes. Since 1.12.1 Avro refuses to load classes by
 * schema name (when copying or reading enums and records) unless they are trusted, as a guard
 * against untrusted schemas naming arbitrary classes. Only {@code io.callhook.model} is added.
 *
 * <p>Every process calls {@link #install()} before using Avro ({@link AvroSerdes} does it); test
 * JVMs also get {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.callhook.model} from the build.
 */
public final class AvroTrust {

    static final String MODEL_PACKAGE = "io.callhook.model.";
    private static volatile boolean installed;

    private AvroTrust() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> type.getName().startsWith(MODEL_PACKAGE) && !type.getName().substring(MODEL_PACKAGE.length()).contains(".")));
        installed = true;
    }
}
