package io.imgpress.processing.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.net.OutboundGuard;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

class RetryClassifierTest {

  private static final URI URI_ = URI.create("https://img.example.com/a.jpg");

  private static ForbiddenAddressException forbidden() throws UnknownHostException {
    InetAddress address = InetAddress.getByName("10.0.0.1");
    return catchThrowableOfType(
        ForbiddenAddressException.class, () -> new OutboundGuard(false).checkAddress(address));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 410, 418, 451, 300, 304})
  void clientErrorsArePermanent(int status) {
    ImageFailureException failure = RetryClassifier.forStatus(status);

    assertThat(failure).hasMessage("HTTP " + status + " from source");
    assertThat(failure.isRetryable()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503, 504, 599})
  void serverErrorsAndTooManyRequestsAreRetryable(int status) {
    ImageFailureException failure = RetryClassifier.forStatus(status);

    assertThat(failure).hasMessage("HTTP " + status + " from source");
    assertThat(failure.isRetryable()).isTrue();
  }

  static Stream<Arguments> exceptions() throws UnknownHostException {
    return Stream.of(
        arguments(forbidden(), false, "address not allowed: img.example.com (private network)"),
        arguments(
            new IOException("wrapped", forbidden()),
            false,
            "address not allowed: img.example.com (private network)"),
        arguments(
            new UnknownHostException("img.example.com: Name or service not known"),
            false,
            "host not found: img.example.com"),
        arguments(new ConnectTimeoutException("Connect timed out"), true, "connection timed out"),
        arguments(new SocketTimeoutException("Read timed out"), true, "read timed out"),
        arguments(
            new ConnectionRequestTimeoutException("Timeout waiting for connection from pool"),
            true,
            "timed out waiting for a free connection"),
        arguments(new ConnectException("Connection refused"), true, "connection refused"),
        arguments(new ConnectException("Network is unreachable"), true, "could not connect"),
        arguments(new NoRouteToHostException("No route to host"), true, "host unreachable"),
        arguments(new SocketException("Connection reset"), true, "connection reset"),
        arguments(new SocketException("Broken pipe"), true, "connection error"),
        arguments(
            new SSLHandshakeException("PKIX path building failed"), false, "TLS handshake failed"),
        arguments(
            new SSLPeerUnverifiedException("Certificate for <x> doesn't match"),
            false,
            "TLS handshake failed"),
        arguments(new SSLException("Tag mismatch"), true, "TLS error"),
        arguments(
            new ConnectionClosedException(
                "Premature end of Content-Length delimited message body (expected: 2,284;"
                    + " received: 1,284)"),
            true,
            "body shorter than its Content-Length (connection closed early)"),
        arguments(
            new ConnectionClosedException(
                "Premature end of chunk coded message body: closing chunk expected"),
            true,
            "chunked body cut short (connection closed early)"),
        arguments(
            new ConnectionClosedException("Connection closed by peer"),
            true,
            "connection closed early"),
        arguments(
            new ClientProtocolException("Invalid header: \\0"), false, "invalid HTTP response"),
        arguments(new IOException("/internal/path exploded"), true, "network error"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("exceptions")
  void classifiesExceptions(Exception exception, boolean retryable, String message) {
    ImageFailureException failure = RetryClassifier.forException(exception, URI_);

    assertThat(failure).hasMessage(message).hasCause(exception);
    assertThat(failure.isRetryable()).isEqualTo(retryable);
  }

  @Test
  void looksTenCausesDeepAndNoFurther() {
    Exception nine = new SocketTimeoutException("Read timed out");
    for (int i = 0; i < 9; i++) {
      nine = new IOException("wrapped", nine);
    }
    Exception ten = new IOException("wrapped", nine);

    assertThat(RetryClassifier.forException(nine, URI_)).hasMessage("read timed out");
    assertThat(RetryClassifier.forException(ten, URI_)).hasMessage("network error");
  }

  @Test
  void aCycleOfCausesEnds() {
    IOException first = new IOException("first");
    IOException second = new IOException("second", first);
    first.initCause(second);

    assertThat(RetryClassifier.forException(first, URI_)).hasMessage("network error");
  }

  @Test
  void statesTheTotalTimeoutInWholeSecondsOrMilliseconds() {
    assertThat(RetryClassifier.tooSlow(Duration.ofMinutes(2)))
        .hasMessage("download took longer than 120 s");
    assertThat(RetryClassifier.tooSlow(Duration.ofMillis(1500)))
        .hasMessage("download took longer than 1500 ms");
    assertThat(RetryClassifier.tooSlow(Duration.ofSeconds(1)).isRetryable()).isTrue();
  }

  @Test
  void aDownloadPastTheTotalTimeoutIsATimeout() {
    // Not OTHER: a source dripping bytes is as much a timeout as one that stops sending.
    assertThat(RetryClassifier.tooSlow(Duration.ofSeconds(3)).reason())
        .isEqualTo(FailureReason.TIMEOUT);
  }

  @Test
  void limitBreachesArePermanent() {
    assertThat(RetryClassifier.tooLarge(DataSize.ofMegabytes(25)))
        .hasMessage("image larger than 25 MB");
    assertThat(RetryClassifier.tooLarge(DataSize.ofKilobytes(512)))
        .hasMessage("image larger than 512 KB");
    assertThat(RetryClassifier.tooLarge(DataSize.ofBytes(1000)))
        .hasMessage("image larger than 1000 bytes");
    assertThat(RetryClassifier.tooManyRedirects(5)).hasMessage("too many redirects (more than 5)");
    assertThat(
            Stream.of(
                RetryClassifier.tooLarge(DataSize.ofMegabytes(25)),
                RetryClassifier.tooManyRedirects(5),
                RetryClassifier.redirectWithoutLocation(302),
                RetryClassifier.invalidRedirect(),
                RetryClassifier.invalidUrl("only http and https URLs are allowed")))
        .noneMatch(ImageFailureException::isRetryable);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 429, 500, 503, 304})
  void statusesGetTheirReason(int status) {
    FailureReason expected =
        status >= 500
            ? FailureReason.HTTP_5XX
            : status >= 400 ? FailureReason.HTTP_4XX : FailureReason.OTHER;

    assertThat(RetryClassifier.forStatus(status).reason()).isEqualTo(expected);
  }

  static Stream<Arguments> reasons() throws UnknownHostException {
    return Stream.of(
        arguments(new IOException("wrapped", forbidden()), FailureReason.FORBIDDEN_ADDRESS),
        arguments(new UnknownHostException("img.example.com"), FailureReason.CONNECTION),
        arguments(new ConnectTimeoutException("Connect timed out"), FailureReason.TIMEOUT),
        arguments(new SocketTimeoutException("Read timed out"), FailureReason.TIMEOUT),
        arguments(new ConnectionRequestTimeoutException("pool"), FailureReason.TIMEOUT),
        arguments(new ConnectException("Connection refused"), FailureReason.CONNECTION),
        arguments(new SSLHandshakeException("PKIX"), FailureReason.CONNECTION),
        arguments(new SocketException("Connection reset"), FailureReason.CONNECTION),
        arguments(new ClientProtocolException("Invalid header"), FailureReason.OTHER),
        arguments(new IOException("unknown"), FailureReason.CONNECTION));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("reasons")
  void exceptionsGetABoundedReason(Exception exception, FailureReason reason) {
    assertThat(RetryClassifier.forException(exception, URI_).reason()).isEqualTo(reason);
  }

  @Test
  void limitBreachesAreTooLargeAndRedirectTroubleIsOther() {
    assertThat(RetryClassifier.tooLarge(DataSize.ofMegabytes(1)).reason())
        .isEqualTo(FailureReason.TOO_LARGE);
    assertThat(
            Stream.of(
                RetryClassifier.tooManyRedirects(5),
                RetryClassifier.redirectWithoutLocation(302),
                RetryClassifier.invalidRedirect(),
                RetryClassifier.invalidUrl("only http and https URLs are allowed")))
        .extracting(ImageFailureException::reason)
        .containsOnly(FailureReason.OTHER);
  }

  private static final Instant NOW = Instant.parse("1994-11-06T08:48:37Z");

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "60",
        " 60 ",
        "Sun, 06 Nov 1994 08:49:37 GMT", // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT", // obsolete RFC 850
        "Sun Nov  6 08:49:37 1994" // obsolete asctime
      })
  void retryAfterIsReadInEveryFormat(String value) {
    assertThat(RetryClassifier.retryAfter(value, NOW)).contains(Duration.ofMinutes(1));
  }

  @Test
  void retryAfterIsClampedToNowAndTheMaximum() {
    assertThat(RetryClassifier.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", NOW))
        .contains(Duration.ZERO);
    assertThat(RetryClassifier.retryAfter("600", NOW)).contains(Duration.ofMinutes(10));
    assertThat(RetryClassifier.retryAfter("601", NOW)).contains(Duration.ofMinutes(10));
    assertThat(RetryClassifier.retryAfter("9223372036854775808", NOW))
        .contains(Duration.ofMinutes(10));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "  ", "-1", "+5", "1e3", "0x10", "tomorrow", "06 Nov 1994"})
  void unreadableRetryAfterIsIgnored(String value) {
    assertThat(RetryClassifier.retryAfter(value, NOW)).isEmpty();
    assertThat(RetryClassifier.retryAfter(null, NOW)).isEmpty();
  }

  @Test
  void retryAfterIsClampedToTheConfiguredMaximum() {
    Duration max = Duration.ofSeconds(1);
    assertThat(RetryClassifier.forStatus(429, "3600", NOW, max).retryAfter()).contains(max);
    assertThat(RetryClassifier.forStatus(503, "0", NOW, max).retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void onlyTooManyRequestsAndServiceUnavailableCarryTheWait() {
    assertThat(RetryClassifier.forStatus(429, "5", NOW).retryAfter())
        .contains(Duration.ofSeconds(5));
    assertThat(RetryClassifier.forStatus(503, "5", NOW).retryAfter())
        .contains(Duration.ofSeconds(5));
    assertThat(RetryClassifier.forStatus(500, "5", NOW).retryAfter()).isEmpty();
    assertThat(RetryClassifier.forStatus(404, "5", NOW).retryAfter()).isEmpty();
    assertThat(RetryClassifier.forStatus(404, "5", NOW).isRetryable()).isFalse();
  }
}
