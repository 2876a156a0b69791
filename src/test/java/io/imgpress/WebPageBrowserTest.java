package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web page in a real headless Chromium: upload a CSV through the file input, watch the request
 * finish live, download the result CSV, and see a rejected CSV's errors with their line numbers.
 * Screenshots land in {@code target/screenshots}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver}; the driver is given by path, so
 * Selenium Manager never looks for (or downloads) one. Without them the test is skipped on a
 * developer machine and fails in CI ({@code CI=true}), where {@code .ci/run} installs them.
 */
@Tag("browser")
@DisabledIf(
    value = "chromiumMissingOnADevMachine",
    disabledReason = WebPageBrowserTest.INSTALL_CHROMIUM + " (skipped outside CI)")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebPageBrowserTest {

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final String INSTALL_CHROMIUM =
      "the browser test needs /usr/bin/chromium and /usr/bin/chromedriver:"
          + " apt-get install -y chromium chromium-driver";

  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Pattern REQUEST_ROUTE = Pattern.compile("#/r/([0-9a-f-]{36})$");
  static final int FAST_RUNS = 20;
  static final int WORKERS = 2;
  static final Map<String, byte[]> images = new ConcurrentHashMap<>();

  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  Path profile;
  ChromeDriver browser;
  WebDriverWait wait;

  static boolean chromiumInstalled() {
    return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
  }

  // Reported as skipped with the reason, before any Spring context starts; in CI it runs and fails.
  static boolean chromiumMissingOnADevMachine() {
    return !chromiumInstalled() && !"true".equalsIgnoreCase(System.getenv("CI"));
  }

  @BeforeAll
  static void startOrigin() throws IOException {
    if (!chromiumInstalled()) {
      fail(INSTALL_CHROMIUM);
    }
    images.put("/img/chair.jpg", TestImages.jpeg(800, 600, 1));
    images.put("/img/chair-side.jpg", TestImages.jpeg(600, 800, 2));
    images.put("/img/lamp.jpg", TestImages.jpeg(640, 640, 3));
    images.put("/img/tiny.jpg", TestImages.jpeg(64, 48, 4));
    origin =
        new LoopbackServer()
            .on(
                "/img/",
                ex -> {
                  String path = ex.getRequestURI().getPath();
                  // slow enough that the page shows the batch in progress
                  sleep(path.contains("lamp") ? 2500 : 300);
                  byte[] body = images.get(path);
                  if (body == null) {
                    LoopbackServer.respond(ex, 404, "text/plain", "no such image".getBytes());
                  } else {
                    LoopbackServer.respond(ex, 200, "image/jpeg", body);
                  }
                })
            .on(
                "/fast/",
                ex -> {
                  byte[] body = images.get(ex.getRequestURI().getPath().replace("/fast/", "/img/"));
                  LoopbackServer.respond(ex, 200, "image/jpeg", body);
                });
    dataDir = Files.createTempDirectory("imgpress-browser");
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopOrigin() {
    if (origin != null) {
      origin.close();
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add("imgpress.processing.workers", () -> Integer.toString(WORKERS));
  }

  @BeforeEach
  void openBrowser() throws IOException {
    profile = Files.createTempDirectory("imgpress-chromium");
    browser = headlessChromium(profile, "1280,900");
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  /** Debian's Chromium, headless, with its own profile folder; for every browser test. */
  static ChromeDriver headlessChromium(Path profile, String windowSize) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=" + windowSize);
    // The console, so a test can find what the Content-Security-Policy blocked.
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    if (!queueWorkers().isRunning()) {
      queueWorkers().start();
    }
    if (browser != null) {
      try {
        assertNoPolicyViolations(browser);
      } finally {
        browser.quit();
      }
    }
  }

  /**
   * Nothing the page did was blocked by the service's Content-Security-Policy: Chromium reports
   * each blocked script, style, image, fetch or inline handler on the console.
   */
  static void assertNoPolicyViolations(ChromeDriver browser) {
    List<String> violations =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security"))
            .toList();
    assertThat(violations).as("Content-Security-Policy violations").isEmpty();
  }

  /**
   * Swagger UI works under the policy its paths get (inline styles and data: images allowed, no
   * inline script): it renders every operation of the API description.
   */
  @Test
  void swaggerUiRendersUnderItsPolicy() throws IOException {
    browser.get(base() + "/swagger-ui.html");
    wait.until(d -> browser.findElements(By.cssSelector(".opblock-summary-path")).size() >= 5);
    browser.findElements(By.cssSelector(".opblock-summary")).getFirst().click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".opblock-body")));
    screenshot("swagger-ui");
  }

  @Test
  void uploadsACsvWatchesItFinishAndDownloadsTheResult() throws IOException {
    Path csv = Files.createTempFile("products", ".csv");
    Files.writeString(
        csv,
        "S. No.,Product Name,Input Image Urls\n"
            + "1,Oak chair,\"%s,%s\"\n"
                .formatted(origin.url("/img/chair.jpg"), origin.url("/img/chair-side.jpg"))
            + "2,Desk lamp,%s\n".formatted(origin.url("/img/lamp.jpg"))
            + "3,Lost vase,%s\n".formatted(origin.url("/img/vase.jpg")));

    browser.get(base() + "/");
    browser.findElement(By.id("file")).sendKeys(csv.toString());
    WebElement quality = browser.findElement(By.id("quality"));
    assertThat(quality.getDomProperty("value")).isEqualTo("50");
    quality.clear();
    quality.sendKeys("60");
    browser.findElement(By.id("submit")).click();

    wait.until(ExpectedConditions.urlMatches(REQUEST_ROUTE.pattern()));
    Matcher route = REQUEST_ROUTE.matcher(browser.getCurrentUrl());
    assertThat(route.find()).isTrue();
    String id = route.group(1);
    assertThat(browser.findElement(By.id("request-id")).getText()).isEqualTo(id);

    WebElement download = browser.findElement(By.id("request-download"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("request-progress-text"), "of 4 images processed"));
    screenshot("request-running"); // most likely mid-batch: the origin answers slowly
    wait.until(d -> download.getDomAttribute("href") != null);
    WebElement progress = browser.findElement(By.id("request-progress"));
    assertThat(progress.getDomProperty("value")).isEqualTo("100");
    assertThat(download.getDomAttribute("aria-disabled")).isNull();
    assertThat(browser.findElement(By.id("request-progress-text")).getText())
        .contains("4 of 4 images processed (100%)")
        .contains("1 failed");
    assertThat(browser.findElement(By.id("request-status")).getText()).isEqualTo("completed");
    assertThat(browser.findElement(By.id("request-rate")).getText()).contains("images/s");

    assertThat(browser.findElement(By.id("products-more")).isDisplayed()).isFalse();
    List<WebElement> rows = browser.findElements(By.cssSelector("#products .image"));
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0).getText()).contains("saved").contains("KB →").contains("quality 60");
    assertThat(rows.get(3).getDomAttribute("data-status")).isEqualTo("failed");
    assertThat(rows.get(3).getText()).contains("Failed:").contains("404");
    List<WebElement> outputs = outputs(id);
    assertThat(outputs).hasSize(3);
    resizeTo(1280);
    waitForImagesToLoad();
    assertThat(outputs.getFirst().getDomProperty("naturalWidth")).isNotEqualTo("0");
    assertPreviewsShownAndNoSourceLoaded(id, 3, "");
    assertThat(rows.get(0).findElement(By.cssSelector(".source-url")).getText())
        .as("the source URL is shown as text")
        .isEqualTo(origin.url("/img/chair.jpg"));
    assertThat(rows.get(3).findElements(By.tagName("img")))
        .as("a failed image shows its reason and no image")
        .isEmpty();
    screenshot("request-desktop");

    String href = download.getDomProperty("href");
    assertThat(href).isEqualTo(base() + "/csv/" + id);
    HttpResponse<String> result = new ApiClient(base()).get(href);
    assertThat(result.statusCode()).isEqualTo(200);
    String[] lines = result.body().split("\r\n");
    assertThat(lines[0]).isEqualTo("S. No.,Product Name,Input Image Urls,Output Image Urls");
    assertThat(lines).hasSize(4);
    assertThat(lines[1]).containsPattern("/images/" + id + "/[^,]+,http://[^\"]+/images/" + id);
    assertThat(lines[2]).contains("/images/" + id + "/");
    assertThat(lines[3]).endsWith(",\"\"");

    resizeTo(390);
    assertNoSidewaysScrolling();
    waitForImagesToLoad();
    screenshot("request-phone");

    // The recent list links back here, and works from the keyboard.
    browser.findElement(By.cssSelector("a[href='#/']")).sendKeys(Keys.ENTER);
    WebElement link =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#recent-list a[href='#/r/" + id + "']")));
    assertNoSidewaysScrolling();
    screenshot("home-phone");
    link.sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.urlMatches(REQUEST_ROUTE.pattern()));
    wait.until(d -> download.getDomAttribute("href") != null);
  }

  /**
   * A batch that finishes within a second, watched from the upload on: whenever the request card
   * shows the request final, every image row shows its final state, compressed thumbnail and bytes
   * saved. Every other run stops the queue's workers (which expand uploads) until the page has
   * shown the upload, so the page's first status surely comes before the upload is expanded into
   * images; the other runs leave the order to chance (usually expansion first).
   */
  @Test
  void aBatchThatFinishesAtOnceShowsEveryImageFinal() throws IOException {
    Path csv = Files.createTempFile("fast", ".csv");
    Files.writeString(
        csv,
        "S. No.,Product Name,Input Image Urls\n"
            + "1,Oak chair,\"%s,%s\"\n"
                .formatted(origin.url("/fast/chair.jpg"), origin.url("/fast/chair-side.jpg"))
            + "2,Desk lamp,%s\n".formatted(origin.url("/fast/lamp.jpg")));
    ApiClient api = new ApiClient(base());
    for (int width : new int[] {1280, 390}) {
      browser.get(base() + "/");
      resizeTo(width);
      for (int run = 1; run <= FAST_RUNS; run++) {
        boolean beforeExpansion = run % 2 == 1;
        String context =
            "width %d, run %d of %d, %s"
                .formatted(
                    width,
                    run,
                    FAST_RUNS,
                    beforeExpansion ? "first status before expansion" : "expansion unhindered");
        if (beforeExpansion) {
          queueWorkers().stop();
        }
        browser.findElement(By.cssSelector("a[href='#/']")).sendKeys(Keys.ENTER);
        // The route changes on the hashchange event, after the key press returns.
        WebElement submit = wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));
        browser.findElement(By.id("file")).sendKeys(csv.toString());
        submit.click();
        wait.until(ExpectedConditions.urlMatches(REQUEST_ROUTE.pattern()));
        Matcher route = REQUEST_ROUTE.matcher(browser.getCurrentUrl());
        assertThat(route.find()).isTrue();
        String id = route.group(1);
        // The view is this request's (not the last one's) once it shows its id.
        wait.until(ExpectedConditions.textToBe(By.id("request-id"), id));
        if (beforeExpansion) {
          wait.until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("request-progress-text"), "0 of 3 images processed"));
          assertThat(browser.findElements(By.cssSelector("#products .image")))
              .as(context)
              .hasSize(3);
          queueWorkers().start();
        }
        WebElement download = browser.findElement(By.id("request-download"));
        wait.until(d -> download.getDomAttribute("href") != null);

        // No waiting from here on: the rows must be final the moment the card is.
        assertThat(browser.findElement(By.id("request-progress-text")).getText())
            .as(context)
            .contains("3 of 3 images processed (100%)");
        List<WebElement> rows = browser.findElements(By.cssSelector("#products .image"));
        assertThat(rows).as(context).hasSize(3);
        for (WebElement row : rows) {
          assertThat(row.getDomAttribute("data-status")).as(context).isEqualTo("completed");
          assertThat(row.findElement(By.cssSelector(".badge")).getText())
              .as(context)
              .isEqualTo("completed");
          assertThat(row.findElement(By.cssSelector(".image-detail")).getText())
              .as(context)
              .contains("saved")
              .contains("KB →");
        }
        List<WebElement> outputs = outputs(id);
        assertThat(outputs).as(context).hasSize(3);
        waitForImagesToLoad();
        for (WebElement output : outputs) {
          assertThat(output.getDomProperty("naturalWidth")).as(context).isNotEqualTo("0");
        }
        assertPreviewsShownAndNoSourceLoaded(id, 3, context);
        assertNoSidewaysScrolling();
      }
      screenshot("fast-batch-" + width);
    }
  }

  /**
   * A request of 120 products shows the first 100, loads the rest on demand while the batch runs,
   * and ends with every row final; the page asks for pages of products and for the changes only.
   */
  @Test
  void loadsMoreProductsOnDemandWhileTheBatchRuns() throws IOException {
    int products = 120;
    StringBuilder rows = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    for (int p = 1; p <= products; p++) {
      rows.append(p).append(",Item ").append(p).append(',');
      rows.append(origin.url("/fast/tiny.jpg?" + p)).append('\n');
    }
    Path csv = Files.createTempFile("many", ".csv");
    Files.writeString(csv, rows);

    browser.get(base() + "/");
    resizeTo(1280);
    browser.findElement(By.id("file")).sendKeys(csv.toString());
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.urlMatches(REQUEST_ROUTE.pattern()));
    Matcher route = REQUEST_ROUTE.matcher(browser.getCurrentUrl());
    assertThat(route.find()).isTrue();
    String id = route.group(1);
    WebElement more = wait.until(ExpectedConditions.elementToBeClickable(By.id("products-more")));
    assertThat(more.getText()).isEqualTo("Show more products (20 more)");
    assertThat(browser.findElements(By.cssSelector("#products .product"))).hasSize(100);
    more.click();
    wait.until(d -> browser.findElements(By.cssSelector("#products .product")).size() == products);
    assertThat(more.isDisplayed()).isFalse();

    WebElement download = browser.findElement(By.id("request-download"));
    wait.until(d -> download.getDomAttribute("href") != null);
    List<WebElement> images = browser.findElements(By.cssSelector("#products .image"));
    assertThat(images).hasSize(products);
    assertThat(images)
        .allSatisfy(row -> assertThat(row.getDomAttribute("data-status")).isEqualTo("completed"));

    @SuppressWarnings("unchecked")
    List<String> calls =
        (List<String>)
            browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
    assertThat(calls)
        .contains(base() + "/status/" + id + "?page=0&size=100")
        .contains(base() + "/status/" + id + "?page=1&size=100")
        .noneMatch(url -> url.endsWith("/status/" + id))
        .anyMatch(url -> url.startsWith(base() + "/status/" + id + "/events?since="));
  }

  /** The compressed outputs the page shows for a request. */
  private List<WebElement> outputs(String id) {
    return browser.findElements(
        By.cssSelector("#products img[src*='/images/" + id + "/']:not([src$='-before.jpg'])"));
  }

  /**
   * Each "before" image is the preview the service made, loaded (not broken); no image points at
   * the origin server, and the browser never asked it for anything.
   */
  private void assertPreviewsShownAndNoSourceLoaded(String id, int expected, String context) {
    List<WebElement> previews =
        browser.findElements(
            By.cssSelector("#products img[src*='/images/" + id + "/'][src$='-before.jpg']"));
    assertThat(previews).as(context).hasSize(expected);
    for (WebElement preview : previews) {
      assertThat(Long.parseLong(preview.getDomProperty("naturalWidth")))
          .as(context + ": preview " + preview.getDomAttribute("src") + " loaded")
          .isPositive();
      assertThat(Long.parseLong(preview.getDomProperty("naturalWidth")))
          .as("a preview is at most 320 pixels wide")
          .isLessThanOrEqualTo(320);
    }
    String source = origin.url("/");
    assertThat(browser.findElements(By.cssSelector("img")))
        .as(context + ": images")
        .extracting(img -> String.valueOf(img.getDomProperty("src")))
        .noneMatch(src -> src.startsWith(source));
    @SuppressWarnings("unchecked")
    List<String> loaded =
        (List<String>)
            browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
    assertThat(loaded).as(context + ": what the page loaded").noneMatch(u -> u.startsWith(source));
  }

  /** The intake and webhook workers: stopped, they leave a new upload staged. */
  private SmartLifecycle queueWorkers() {
    return context.getBean("jobWorkers", SmartLifecycle.class);
  }

  /**
   * The output fields reach the upload: the format select offers what {@code /actuator/info} says
   * the engine writes (WebP when it does, else JPEG is chosen), "Automatic" sends quality=auto, and
   * the bounding box goes as maxWidth and maxHeight. The page's own fetch is wrapped to see the
   * fields it posts; the server's record shows the quality it took.
   */
  @Test
  void sendsTheChosenFormatBoundingBoxAndAutomaticQuality() throws IOException {
    Path csv = Files.createTempFile("outputs", ".csv");
    Files.writeString(
        csv,
        "S. No.,Product Name,Input Image Urls\n1,Tiny,%s\n"
            .formatted(origin.url("/fast/tiny.jpg")));
    HttpResponse<String> info = new ApiClient(base()).get("/actuator/info");
    String engineName =
        new ApiClient(base()).json(info.body()).get("codec").get("engine").asString();
    List<String> writes = new ArrayList<>();
    new ApiClient(base())
        .json(info.body())
        .get("codec")
        .get("writes")
        .get(engineName)
        .forEach(w -> writes.add(w.asString()));

    browser.get(base() + "/");
    browser.executeScript(
        """
        window.uploadFields = [];
        const original = window.fetch;
        window.fetch = (path, options) => {
          if (path === '/upload') {
            window.uploadFields.push(Object.fromEntries(
              [...options.body.entries()].filter(([name]) => name !== 'file')));
          }
          return original(path, options);
        };""");
    Select format = new Select(browser.findElement(By.id("format")));
    wait.until(
        d ->
            format.getOptions().stream()
                .allMatch(o -> o.isEnabled() == writes.contains(o.getDomAttribute("value"))));
    assertThat(format.getOptions())
        .extracting(WebElement::getText)
        .containsExactly("JPEG", "WebP", "AVIF");
    String chosen = writes.contains("webp") ? "webp" : "jpeg";
    format.selectByValue(chosen);
    browser.findElement(By.id("file")).sendKeys(csv.toString());
    WebElement quality = browser.findElement(By.id("quality"));
    browser.findElement(By.id("quality-auto")).click();
    assertThat(quality.isEnabled()).as("the number is off with Automatic").isFalse();
    browser.findElement(By.id("maxWidth")).sendKeys("400");
    browser.findElement(By.id("maxHeight")).sendKeys("300");
    resizeTo(390);
    assertNoSidewaysScrolling();
    screenshot("upload-outputs-phone");
    browser.findElement(By.id("submit")).click();

    wait.until(ExpectedConditions.urlMatches(REQUEST_ROUTE.pattern()));
    Matcher route = REQUEST_ROUTE.matcher(browser.getCurrentUrl());
    assertThat(route.find()).isTrue();
    assertThat(browser.executeScript("return window.uploadFields;"))
        .isEqualTo(
            List.of(
                Map.of(
                    "format", chosen, "quality", "auto", "maxWidth", "400", "maxHeight", "300")));
    assertThat(
            context
                .getBean(RequestRepository.class)
                .find(UUID.fromString(route.group(1)))
                .orElseThrow()
                .output())
        .isEqualTo(
            new Output(
                OutputFormat.fromApiName(chosen).orElseThrow(), Output.AUTO_QUALITY, 400, 300));
  }

  @Test
  void listsEveryErrorOfARejectedCsvWithItsLineNumber() throws IOException {
    Path csv = Files.createTempFile("invalid", ".csv");
    Files.writeString(
        csv,
        "S. No.,Product Name,Input Image Urls\n"
            + "1,,http://example.com/a.jpg\n"
            + "x,Stool,ftp://example.com/b.jpg\n");

    browser.get(base() + "/");
    resizeTo(390);
    browser.findElement(By.id("file")).sendKeys(csv.toString());
    browser.findElement(By.id("submit")).click();

    WebElement errors =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-errors")));
    List<String> items =
        errors.findElements(By.cssSelector(".error-list li")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(items).hasSizeGreaterThanOrEqualTo(3);
    assertThat(items.getFirst()).startsWith("Line 2");
    assertThat(items).anyMatch(item -> item.startsWith("Line 3"));
    assertThat(errors.getText()).contains("Invalid CSV");
    assertThat(browser.getCurrentUrl()).doesNotContain("#/r/");
    resizeTo(390);
    assertNoSidewaysScrolling();
    screenshot("upload-errors-phone");
  }

  private String base() {
    return "http://localhost:" + port;
  }

  private void resizeTo(int width) {
    browser.manage().window().setSize(new Dimension(width, 900));
    // Tall enough for the whole page, so the screenshot shows all of it.
    long height =
        (Long) browser.executeScript("return document.documentElement.scrollHeight + 140;");
    browser.manage().window().setSize(new Dimension(width, (int) Math.min(height, 4000)));
  }

  private void assertNoSidewaysScrolling() {
    JavascriptExecutor js = browser;
    Long overflow =
        (Long)
            js.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow).as("horizontal overflow in px").isLessThanOrEqualTo(0L);
  }

  private void waitForImagesToLoad() {
    wait.until(
        d ->
            (Boolean) browser.executeScript("return [...document.images].every(i => i.complete);"));
  }

  private void screenshot(String name) throws IOException {
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
