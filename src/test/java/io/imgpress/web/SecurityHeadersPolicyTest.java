package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.ImgpressProperties;
import io.imgpress.storage.cloudinary.CloudinaryStorageProperties;
import io.imgpress.storage.s3.S3StorageProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The images the policy allows follow the configuration: this origin, {@code
 * imgpress.public-base-url}'s and the store's public origin, and nothing else (no {@code http:} or
 * {@code https:} wildcard, since the page never loads a source URL). Read from the header the
 * filter sets, with each store configured as in production.
 */
class SecurityHeadersPolicyTest {

  @TempDir Path dataDir;

  @Configuration(proxyBeanMethods = false)
  @ComponentScan({
    "io.imgpress.storage.local",
    "io.imgpress.storage.s3",
    "io.imgpress.storage.cloudinary"
  })
  @EnableConfigurationProperties({
    ImgpressProperties.class,
    S3StorageProperties.class,
    CloudinaryStorageProperties.class
  })
  static class Stores {}

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withUserConfiguration(Stores.class)
        .withBean(SecurityHeadersFilter.class)
        .withPropertyValues("imgpress.data-dir=" + dataDir);
  }

  @Test
  void localStorageAllowsOnlyThisOrigin() {
    assertThat(imageSources(runner())).containsExactly("'self'");
  }

  @Test
  void localStorageBehindAPublicBaseUrlAllowsItsOrigin() {
    assertThat(
            imageSources(
                runner().withPropertyValues("imgpress.public-base-url=https://img.example.com/x/")))
        .containsExactly("'self'", "https://img.example.com");
  }

  @Test
  void s3ServedByTheServiceAllowsOnlyThisOrigin() {
    assertThat(
            imageSources(
                runner()
                    .withPropertyValues(
                        "imgpress.storage=s3",
                        "imgpress.storage.s3.bucket=images",
                        "imgpress.storage.s3.region=eu-central-1")))
        .containsExactly("'self'");
  }

  @Test
  void s3WithAPublicBaseUrlAllowsItsOrigin() {
    assertThat(
            imageSources(
                runner()
                    .withPropertyValues(
                        "imgpress.storage=s3",
                        "imgpress.storage.s3.bucket=images",
                        "imgpress.storage.s3.region=eu-central-1",
                        "imgpress.storage.s3.public-base-url=https://CDN.example.com:8443/img/",
                        "imgpress.storage.s3.key-prefix=imgpress/")))
        .containsExactly("'self'", "https://cdn.example.com:8443");
  }

  @Test
  void cloudinaryAllowsItsDeliveryHost() {
    assertThat(
            imageSources(
                runner()
                    .withPropertyValues(
                        "imgpress.storage=cloudinary",
                        "imgpress.storage.cloudinary.url=cloudinary://key:secret@demo")))
        .containsExactly("'self'", "https://res.cloudinary.com");
  }

  @Test
  void cloudinaryWithItsOwnDeliveryNameAllowsThatName() {
    assertThat(
            imageSources(
                runner()
                    .withPropertyValues(
                        "imgpress.storage=cloudinary",
                        "imgpress.storage.cloudinary.url=cloudinary://key:secret@demo"
                            + "?secure_distribution=images.example.com")))
        .containsExactly("'self'", "https://images.example.com");
  }

  @Test
  void swaggerUiAddsDataImagesOnly() {
    runner()
        .withPropertyValues("imgpress.public-base-url=https://img.example.com")
        .run(
            context -> {
              String policy = header(context.getBean(SecurityHeadersFilter.class), "/swagger-ui/");
              assertThat(policy)
                  .contains("img-src 'self' https://img.example.com data:;")
                  .contains("style-src 'self' 'unsafe-inline';");
            });
  }

  private static List<String> imageSources(ApplicationContextRunner runner) {
    String[] policy = new String[1];
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          policy[0] = header(context.getBean(SecurityHeadersFilter.class), "/");
        });
    String page = policy[0];
    assertThat(page)
        .startsWith("default-src 'none'; script-src 'self'; style-src 'self'; img-src ")
        .doesNotContain("http:;")
        .doesNotContain(" http: ")
        .doesNotContain(" https: ")
        .doesNotContain("https:;")
        .doesNotContain("data:");
    String images =
        page.substring(page.indexOf("img-src ") + 8, page.indexOf(';', page.indexOf("img-src ")));
    return List.of(images.split(" "));
  }

  private static String header(SecurityHeadersFilter filter, String path) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    request.setServletPath(path);
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response.getHeader(SecurityHeadersFilter.CONTENT_SECURITY_POLICY);
  }
}
