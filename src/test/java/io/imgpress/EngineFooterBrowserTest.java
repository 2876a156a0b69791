package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page's footer names the codec engine from {@code /actuator/info}; on the portable engine it
 * also says how to get the native one. Runs on the portable engine so the result does not depend on
 * libvips being installed. Like {@link WebPageBrowserTest}: skipped without Chromium on a developer
 * machine, failing without it in CI.
 */
@Tag("browser")
@DisabledIf(
    value = "io.imgpress.WebPageBrowserTest#chromiumMissingOnADevMachine",
    disabledReason = WebPageBrowserTest.INSTALL_CHROMIUM + " (skipped outside CI)")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "imgpress.codec.engine=portable")
class EngineFooterBrowserTest {

  @LocalServerPort int port;
  ChromeDriver browser;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path dataDir = Files.createTempDirectory("imgpress-footer");
    registry.add("imgpress.data-dir", dataDir::toString);
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
  void footerNamesThePortableEngineAndHowToGetTheNativeOne() throws IOException {
    if (!WebPageBrowserTest.chromiumInstalled()) {
      fail(WebPageBrowserTest.INSTALL_CHROMIUM);
    }
    browser =
        WebPageBrowserTest.headlessChromium(
            Files.createTempDirectory("imgpress-chromium"), "1000,800");

    browser.get("http://127.0.0.1:" + port + "/");
    WebElement footer = browser.findElement(By.id("engine"));
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> footer.isDisplayed());

    assertThat(footer.getText())
        .isEqualTo(
            "Codec engine: portable (Java "
                + System.getProperty("java.version")
                + "); apt-get install libvips42 on the server for the native engine,"
                + " about 2-5x faster");
    // The portable engine writes JPEG only: the form offers no other format, and says why.
    Select format = new Select(browser.findElement(By.id("format")));
    assertThat(format.getOptions())
        .extracting(o -> o.getDomAttribute("value") + (o.isEnabled() ? "" : " (off)"))
        .containsExactly("jpeg", "webp (off)", "avif (off)");
    assertThat(format.getFirstSelectedOption().getDomAttribute("value")).isEqualTo("jpeg");
    assertThat(browser.findElement(By.id("format-help")).getText())
        .isEqualTo("WebP and AVIF need the native engine (libvips) on the server.");
    // Tall enough for the whole page, footer included.
    long height = (Long) browser.executeScript("return document.documentElement.scrollHeight;");
    browser.manage().window().setSize(new Dimension(1000, (int) height + 140));
    Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(
        screenshots.resolve("engine-footer.png"), browser.getScreenshotAs(OutputType.BYTES));
  }
}
