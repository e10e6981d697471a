package io.callhook.store.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for browser tests, driven through Debian's own binaries: {@code /usr/bin/chromium}
 * and {@code /usr/bin/chromedriver} (packages {@code chromium} and {@code chromium-driver}, installed by
 * {@code scripts/install-test-deps.sh}). The driver's path is given to Selenium explicitly, so Selenium
 * Manager never runs and nothing is downloaded. Every instance gets a fresh profile directory, deleted on
 * {@link #close()}.
 *
 * <pre>{@code
 * try (HeadlessChromium chromium = HeadlessChromium.start()) {
 *     WebDriver driver = chromium.driver();
 *     driver.get("http://127.0.0.1:" + port + "/");
 * }
 * }</pre>
 *
 * The paths may be overridden with the system properties {@code callhook.chromium} and
 * {@code callhook.chromedriver}.
 */
public record HeadlessChromium(Path home, Path driverLog, ChromeDriver driver) implements AutoCloseable {

    public static final String INSTALL_HINT =
            "install Debian's chromium and chromium-driver: scripts/install-test-deps.sh";

    /** The flags every browser here starts with (a fresh --user-data-dir is added per instance). */
    private static final ObjectMapper NETWORK_LOG = new ObjectMapper();

    public static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
            "--window-size=1400,1000");

    // Selenium looks for a CDP binding matching the browser and warns when it has none: we drive the
    // browser over WebDriver only, so the warning is noise. Held here so the setting is not collected.
    private static final Logger CDP_FINDER =
            Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_FINDER.setLevel(Level.SEVERE);
    }

    public static Path chromiumPath() {
        return Path.of(System.getProperty("callhook.chromium", "/usr/bin/chromium"));
    }

    public static Path chromedriverPath() {
        return Path.of(System.getProperty("callhook.chromedriver", "/usr/bin/chromedriver"));
    }

    /**
     * Starts chromedriver and a headless Chromium behind it.
     *
     * @throws IllegalStateException when the Debian binaries are missing, or the browser does not start
     */
    public static HeadlessChromium start() {
        return start(false);
    }

    /**
     * Same, with the browser's network log on, so a test can read back what the page sent
     * ({@link #requestsSinceLastCall()}).
     */
    public static HeadlessChromium startRecordingRequests() {
        return start(true);
    }

    private static HeadlessChromium start(boolean recordRequests) {
        Path chromium = chromiumPath();
        Path chromedriver = chromedriverPath();
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(chromium)) missing.add(chromium.toString());
        if (!Files.isExecutable(chromedriver)) missing.add(chromedriver.toString());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("No headless browser: " + String.join(" and ", missing)
                    + " missing or not executable; " + INSTALL_HINT);
        }

        Path home;
        try {
            home = Files.createTempDirectory("callhook-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a profile directory for Chromium", e);
        }
        Path profile = home.resolve("profile");
        Path driverLog = home.resolve("chromedriver.log");

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        if (recordRequests) {
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        }
        options.setCapability("goog:loggingPrefs", logs);

        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return new HeadlessChromium(home, driverLog, driver);
        } catch (RuntimeException e) {
            service.stop();
            String log = tail(driverLog, 2_000);
            deleteQuietly(home);
            throw new IllegalStateException("Headless Chromium did not start (" + chromium + " via " + chromedriver
                    + "): " + e.getMessage() + (log.isEmpty() ? "" : "\nchromedriver log:\n" + log)
                    + "\nIf the packages are missing or broken, " + INSTALL_HINT, e);
        }
    }

    /** A wait on this browser, polling every 50 ms; missing and stale elements count as "not yet". */
    public WebDriverWait await(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);   // the page may re-render what a condition reads
        return wait;
    }

    /**
     * The browser's console since the last call: messages logged by the page, uncaught errors, failed
     * loads and Content-Security-Policy violations, each as {@code LEVEL message}.
     */
    public List<String> consoleSinceLastCall() {
        List<String> lines = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            lines.add(entry.getLevel() + " " + entry.getMessage());
        }
        return lines;
    }

    /** One request the page sent, as the browser's network log saw it (headers as sent, body when it had one). */
    public record SentRequest(String method, URI url, Map<String, String> headers, String body) {

        public String path() {
            return url.getRawPath();
        }

        /** The query's parameters, decoded; the last value of a repeated name. */
        public Map<String, String> query() {
            Map<String, String> query = new LinkedHashMap<>();
            if (url.getRawQuery() != null) {
                for (String pair : url.getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return query;
        }

        /** A header by name, ignoring case; null when not sent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /**
     * The requests the page sent since the last call (started with {@link #startRecordingRequests()}):
     * Chromium's own record of them, so they are what left the browser, whatever the page's code did.
     */
    public List<SentRequest> requestsSinceLastCall() {
        List<SentRequest> sent = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = NETWORK_LOG.readTree(entry.getMessage()).path("message");
                if (!message.path("method").asText().equals("Network.requestWillBeSent")) {
                    continue;
                }
                JsonNode request = message.path("params").path("request");
                Map<String, String> headers = new LinkedHashMap<>();
                request.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), header.getValue().asText()));
                sent.add(new SentRequest(request.path("method").asText(), URI.create(request.path("url").asText()), headers,
                        request.path("postData").isMissingNode() ? null : request.path("postData").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable network log entry", e);
            }
        }
        return sent;
    }

    /**
     * A check after each test of a class that drives {@code browser} (read when the test ends): on
     * failure a screenshot and the browser's console are printed; on success the console must hold
     * no script error and no CSP violation (the browser's own "Failed to load resource" for an
     * answer of 4xx the page asked for is not one).
     */
    public static AfterTestExecutionCallback checkEachTest(Supplier<HeadlessChromium> browser) {
        return context -> {
            List<String> console = browser.get().consoleSinceLastCall();
            if (context.getExecutionException().isPresent()) {
                Path shot = browser.get().screenshot(Path.of("target", "browser-failures",
                        context.getRequiredTestMethod().getName() + ".png"));
                System.err.println("Screenshot: " + shot.toAbsolutePath() + "\nBrowser console:\n" + String.join("\n", console));
                return;
            }
            assertNoScriptErrors(console);
        };
    }

    /** Uncaught errors, console.error and CSP violations; the browser's "Failed to load resource" for 4xx is expected. */
    public static void assertNoScriptErrors(List<String> console) {
        assertThat(console).as("browser console errors")
                .filteredOn(line -> line.startsWith("SEVERE") && !line.contains("Failed to load resource"))
                .isEmpty();
    }

    /** A PNG of the viewport, to look at when a test fails. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What chromedriver logged so far (its last {@code maxChars} characters). */
    public String driverLog(int maxChars) {
        return tail(driverLog, maxChars);
    }

    @Override
    public void close() {
        try {
            driver.quit();   // ends the browser and stops the chromedriver service it was given
        } finally {
            deleteQuietly(home);
        }
    }

    private static String tail(Path file, int maxChars) {
        try {
            if (!Files.exists(file)) return "";
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() > maxChars ? text.substring(text.length() - maxChars) : text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        // Chromium may still be flushing its profile for a moment after quitting: retry briefly.
        for (int round = 0; round < 5 && Files.exists(dir); round++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException | UncheckedIOException e) {
                // retried below
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
