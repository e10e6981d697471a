package io.callhook.store.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Proves the browser path works on this machine: Debian's Chromium, driven by Debian's chromedriver. */
class HeadlessChromiumIT {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>browser self-test</title></head>
            <body>
              <p data-testid="message">before</p>
              <button type="button" data-testid="change">change</button>
              <script>
                document.querySelector('[data-testid=change]').addEventListener('click', () => {
                  setTimeout(() => {
                    document.querySelector('[data-testid=message]').textContent = 'changed by JS: ' + (6 * 7);
                  }, 100);
                });
              </script>
            </body></html>
            """;

    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            boolean page = exchange.getRequestURI().getPath().equals("/");
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(page ? 200 : 404, page ? body.length : -1);
            if (page) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void clickingAButtonRunsThePagesScript() {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver driver = chromium.driver();
            driver.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");

            assertThat(driver.getTitle()).isEqualTo("browser self-test");
            By message = By.cssSelector("[data-testid=message]");
            assertThat(driver.findElement(message).getText()).isEqualTo("before");

            driver.findElement(By.cssSelector("[data-testid=change]")).click();

            chromium.await(Duration.ofSeconds(10))
                    .until(ExpectedConditions.textToBe(message, "changed by JS: 42"));
            assertThat(driver.findElement(message).getText()).isEqualTo("changed by JS: 42");
        }
    }

    @Test
    void missingBinariesFailWithTheInstallHint() {
        String previous = System.getProperty("callhook.chromedriver");
        System.setProperty("callhook.chromedriver", "/nonexistent/chromedriver");
        try {
            assertThatThrownBy(HeadlessChromium::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("/nonexistent/chromedriver")
                    .hasMessageContaining(HeadlessChromium.INSTALL_HINT);
        } finally {
            if (previous == null) System.clearProperty("callhook.chromedriver");
            else System.setProperty("callhook.chromedriver", previous);
        }
    }
}
