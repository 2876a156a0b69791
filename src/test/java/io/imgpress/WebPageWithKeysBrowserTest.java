package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page with API keys configured: it asks for the key once (again after a wrong one), keeps it
 * for the tab, sends it with every call, follows a request live through the fetch()-based event
 * stream, and shows another owner's request as unknown.
 */
@Tag("browser")
@DisabledIf(
    value = "io.imgpress.WebPageBrowserTest#chromiumMissingOnADevMachine",
    disabledReason = WebPageBrowserTest.INSTALL_CHROMIUM + " (skipped outside CI)")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebPageWithKeysBrowserTest {

  static final String ALICE = "alice-" + UUID.randomUUID();
  static final String BOB = "bob-" + UUID.randomUUID();
  static final byte[] JPEG = TestImages.jpeg(320, 240, 5);

  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  Path profile;
  ChromeDriver browser;
  WebDriverWait wait;

  @BeforeAll
  static void startOrigin() throws IOException {
    if (!WebPageBrowserTest.chromiumInstalled()) {
      fail(WebPageBrowserTest.INSTALL_CHROMIUM);
    }
    origin =
        new LoopbackServer()
            .on(
                "/slow/",
                ex -> {
                  // slow enough that the page follows the batch live
                  try {
                    Thread.sleep(1200);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "image/jpeg", JPEG);
                });
    dataDir = Files.createTempDirectory("imgpress-browser-keys");
    Files.createDirectories(WebPageBrowserTest.SCREENSHOTS);
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
    registry.add("imgpress.processing.workers", () -> "1");
    registry.add(
        "imgpress.security.api-keys", () -> "alice:" + sha256(ALICE) + ",bob:" + sha256(BOB));
  }

  static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void openBrowser() throws IOException {
    profile = Files.createTempDirectory("imgpress-chromium");
    browser = WebPageBrowserTest.headlessChromium(profile, "1280,900");
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      try {
        WebPageBrowserTest.assertNoPolicyViolations(browser);
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void asksForTheKeyOnceAndFollowsARequestLiveWithIt() throws IOException {
    String bobs = uploadAs(BOB);

    browser.get(base() + "/");
    WebElement keyInput =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    assertThat(browser.findElement(By.id("key-message")).getText()).contains("needs an API key");
    keyInput.sendKeys("wrong-key");
    browser.findElement(By.id("key-submit")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("key-message"), "not accepted"));
    keyInput.sendKeys(ALICE);
    browser.findElement(By.id("key-submit")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-view")));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("recent-message"), "No requests"));

    Path csv = Files.createTempFile("keys", ".csv");
    Files.writeString(
        csv,
        "S. No.,Product Name,Input Image Urls\n1,Chair,\"%s,%s,%s\"\n"
            .formatted(
                origin.url("/slow/1.jpg"), origin.url("/slow/2.jpg"), origin.url("/slow/3.jpg")));
    browser.findElement(By.id("file")).sendKeys(csv.toString());
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.urlMatches(WebPageBrowserTest.REQUEST_ROUTE.pattern()));
    Matcher route = WebPageBrowserTest.REQUEST_ROUTE.matcher(browser.getCurrentUrl());
    assertThat(route.find()).isTrue();
    String id = route.group(1);

    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("request-connection"), "Live updates on."));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("request-progress-text"), "3 of 3 images processed (100%)"));
    assertThat(browser.findElement(By.id("request-status")).getText()).isEqualTo("completed");
    assertThat(browser.findElement(By.id("key-view")).isDisplayed()).as("asked once").isFalse();
    List<WebElement> outputs =
        browser.findElements(
            By.cssSelector("#products img[src*='/images/" + id + "/']:not([src$='-before.jpg'])"));
    assertThat(outputs).as("the images load without a key").hasSize(3);
    assertThat(browser.findElements(By.cssSelector("#products img[src$='-before.jpg']")))
        .as("and so do their previews")
        .hasSize(3);
    Files.write(
        WebPageBrowserTest.SCREENSHOTS.resolve("request-with-key.png"),
        browser.getScreenshotAs(OutputType.BYTES));

    // Kept for the tab, never in a URL.
    assertThat(
            ((JavascriptExecutor) browser)
                .executeScript("return sessionStorage.getItem('imgpress.apiKey')"))
        .isEqualTo(ALICE);
    assertThat(browser.getCurrentUrl()).doesNotContain(ALICE);
    @SuppressWarnings("unchecked")
    List<String> urls =
        (List<String>)
            ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    assertThat(urls).isNotEmpty().noneMatch(url -> url.contains(ALICE));

    // Deleting it sends the key too: the request and its images are gone.
    String output = outputs.getFirst().getAttribute("src");
    browser.findElement(By.id("request-delete")).click();
    browser.switchTo().alert().accept();
    wait.until(
        ExpectedConditions.not(
            ExpectedConditions.urlMatches(WebPageBrowserTest.REQUEST_ROUTE.pattern())));
    ApiClient alice = new ApiClient(base()).withKey(ALICE);
    assertThat(alice.get("/status/" + id).statusCode()).isEqualTo(404);
    assertThat(alice.getBytes(output).statusCode()).isEqualTo(404);
    assertThat(browser.findElement(By.id("key-view")).isDisplayed()).as("no new prompt").isFalse();

    // Another owner's request looks like no request at all.
    browser.get(base() + "/#/r/" + bobs);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("request-missing")));
    assertThat(browser.findElement(By.id("request-missing")).getText())
        .contains("No request has this id");
    assertThat(browser.findElement(By.id("key-view")).isDisplayed())
        .as("the key is kept across page loads of the tab")
        .isFalse();
  }

  private String uploadAs(String key) {
    ApiClient api = new ApiClient(base()).withKey(key);
    HttpResponse<String> accepted =
        api.upload(
            "S. No.,Product Name,Input Image Urls\n1,Vase,%s\n"
                .formatted(origin.url("/slow/b.jpg")),
            Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    return api.json(accepted.body()).get("requestId").asString();
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
