package dev.cacheops.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Opens the dashboard in real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}), drives the blog through its HTTP API, and watches the page: cache hits
 * rise after repeated reads, a {@code @NoCache} search shows up as a pass-through by reason, and a
 * write shows up as an invalidation of {@code post}. Keeps a
 * screenshot at {@code target/example-dashboard.png} (the README's, {@code docs/example-dashboard.png}, with
 * {@code -Dexample.screenshot=<repo>/docs/example-dashboard.png}). Fails, never skips, without Chromium.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @TempDir
    Path profile;

    private final HttpClient http = HttpClient.newHttpClient();
    private WebDriver browser;

    @BeforeAll
    static void chromiumIsInstalled() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The dashboard test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install them with `apt-get update && apt-get install -y chromium chromium-driver`"
                    + " (.ci/run does this when they are missing)");
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath());
        // NOTE: an explicit driver executable keeps Selenium Manager from looking for (or downloading) one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void dashboardShowsHitsPassThroughsAndTheWritesInvalidation() throws Exception {
        browser.get(url("/cacheops"));
        assertThat(browser.getTitle()).isEqualTo("Cacheops dashboard");
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        // NOTE: every poll rebuilds the per-table rows, so a cell found a moment ago can be gone by
        // the time its text is read (seen on a loaded machine); such a read is simply tried again.
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(b -> b.findElement(By.id("status")).getText().startsWith("live"));
        long hitsBefore = number("kpi-hits");
        long postInvalidationsBefore = wait.until(b -> postInvalidations());
        long passesBefore = number("kpi-passes");

        // the same reads twice: the first misses and stores, the second is served from the cache
        for (int round = 0; round < 2; round++) {
            assertThat(get("/api/posts?category=java")).contains("On java, part 1");
            assertThat(get("/api/posts/1")).contains("\"comments\"");
            assertThat(get("/api/posts")).contains("On caching, part 4");
        }
        wait.until(b -> number("kpi-hits") > hitsBefore);
        wait.until(b -> b.findElements(By.cssSelector("#tables tr[data-table=post] td.hits")).stream()
                .anyMatch(td -> Long.parseLong(td.getText()) > 0));
        assertThat(browser.findElement(By.id("kpi-ratio")).getText()).endsWith("%");

        // a @NoCache repository method: a pass-through of post, by reason
        assertThat(get("/api/posts/search?q=PART%203")).contains("On databases, part 3");
        wait.until(b -> number("kpi-passes") > passesBefore);
        wait.until(b -> b.findElement(By.id("reads-legend")).getText().contains("pass: nocache"));

        assertThat(post("/api/posts/1/title", "{\"title\":\"Renamed through the API\"}"))
                .contains("Renamed through the API");
        wait.until(b -> postInvalidations() > postInvalidationsBefore);
        wait.until(b -> !b.findElements(By.cssSelector("#invalidations li[data-table=post]")).isEmpty());
        assertThat(get("/api/posts/1")).as("the write is visible, not a stale cached row")
                .contains("Renamed through the API");

        // one more read round so that the rate chart and the bars show a little of everything
        get("/api/posts?category=databases");
        get("/api/posts?category=databases");
        Thread.sleep(1500);
        // target/ by default, so a test run leaves the tracked screenshot alone;
        // -Dexample.screenshot=<repo>/docs/example-dashboard.png refreshes the README's.
        Path shot = Path.of(System.getProperty("example.screenshot", "target/example-dashboard.png"));
        Files.createDirectories(shot.toAbsolutePath().getParent());
        Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }

    private long number(String id) {
        String text = browser.findElement(By.id(id)).getText().trim();
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private long postInvalidations() {
        return browser.findElements(By.cssSelector("#tables tr[data-table=post] td.invalidations")).stream()
                .mapToLong(td -> Long.parseLong(td.getText())).sum();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST " + path).isEqualTo(200);
        return response.body();
    }
}
