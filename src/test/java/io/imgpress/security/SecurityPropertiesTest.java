package io.imgpress.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityPropertiesTest {

  @Test
  void allowedOriginsAreKeptInTheSpellingBrowsersSend() {
    assertThat(
            new SecurityProperties.Cors(
                    List.of(
                        "https://App.Example.com:443",
                        "http://localhost:3000",
                        "http://[::1]:8080",
                        "http://example.com:80"))
                .allowedOrigins())
        .containsExactly(
            "https://app.example.com",
            "http://localhost:3000",
            "http://[::1]:8080",
            "http://example.com");
  }

  @Test
  void anythingButAnOriginIsRefusedAtStart() {
    for (String bad :
        List.of(
            "*",
            "https://*.example.com",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://app.example.com?x",
            "https://user@app.example.com",
            "ftp://app.example.com",
            "app.example.com",
            "null",
            "")) {
      assertThatIllegalArgumentException()
          .as(bad)
          .isThrownBy(() -> new SecurityProperties.Cors(List.of(bad)))
          .withMessageContaining("imgpress.security.cors.allowed-origins");
    }
  }

  @Test
  void originsOfUrlsAndOfServerParts() {
    assertThat(Origins.ofUrl("https://cdn.example.com/prefix/a.jpg"))
        .hasValue("https://cdn.example.com");
    assertThat(Origins.ofUrl(null)).isEmpty();
    assertThat(Origins.of("HTTP", "LocalHost", 80)).hasValue("http://localhost");
    assertThat(Origins.of("http", "::1", 8080)).hasValue("http://[::1]:8080");
  }
}
