package io.callhook.store.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

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
