package io.callhook.demo;

/**
 * The demo jar's entry point: picks the demo's own logging configuration, then runs
 * {@link DemoMain}. The demo's class path also carries the subscription store's jar, whose
 * {@code logback.xml} configures that service when it runs alone; left to its default search,
 * logback would find both files and open the demo's console with two dozen lines of its own
 * status. Naming the file here, before any logger exists, makes it the only one read.
 * This class must not log, nor touch a class that does, before the property is set.
 */
public final class DemoLauncher {

    static final String LOGGING_CONFIG_PROPERTY = "logback.configurationFile";
    /** On the demo jar's class path; a different name from every jar's {@code logback.xml}. */
    static final String LOGGING_CONFIG = "callhook-demo-logback.xml";

    private DemoLauncher() {
    }

    public static void main(String[] args) {
        // Whoever starts the JVM may still choose another file.
        if (System.getProperty(LOGGING_CONFIG_PROPERTY) == null) {
            System.setProperty(LOGGING_CONFIG_PROPERTY, LOGGING_CONFIG);
        }
        DemoMain.main(args);
    }
}
