package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ImageFailureExceptionTest {

  @Test
  void aGivenReasonIsKept() {
    ImageFailureException failure =
        ImageFailureException.permanent(FailureReason.NOT_IMAGE, "not an image");

    assertThat(failure.reason()).isEqualTo(FailureReason.NOT_IMAGE);
    assertThat(failure.orReason(FailureReason.CORRUPT)).isSameAs(failure);
  }

  @Test
  void withoutAReasonTheStepDecidesAndEverythingElseStays() {
    IOException cause = new IOException("EOF");
    ImageFailureException failure = ImageFailureException.retryable("out of memory", cause);

    ImageFailureException classified = failure.orReason(FailureReason.INTERNAL);

    assertThat(failure.reason()).isEqualTo(FailureReason.OTHER);
    assertThat(classified.reason()).isEqualTo(FailureReason.INTERNAL);
    assertThat(classified).hasMessage("out of memory").hasCause(cause);
    assertThat(classified.isRetryable()).isTrue();
    assertThat(classified.getStackTrace()).isEqualTo(failure.getStackTrace());
  }

  @Test
  void eachFactoryKeepsWhatItIsGiven() {
    IOException cause = new IOException("EOF");

    assertThat(ImageFailureException.permanent("bad", cause))
        .hasMessage("bad")
        .hasCause(cause)
        .satisfies(e -> assertThat(e.isRetryable()).isFalse())
        .satisfies(e -> assertThat(e.reason()).isEqualTo(FailureReason.OTHER));
    assertThat(ImageFailureException.permanent(FailureReason.CORRUPT, "broken", cause))
        .hasCause(cause)
        .satisfies(e -> assertThat(e.isRetryable()).isFalse())
        .satisfies(e -> assertThat(e.reason()).isEqualTo(FailureReason.CORRUPT));
    assertThat(ImageFailureException.retryable(FailureReason.TIMEOUT, "slow", cause))
        .hasCause(cause)
        .satisfies(e -> assertThat(e.isRetryable()).isTrue())
        .satisfies(e -> assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT));
    assertThat(ImageFailureException.retryable(FailureReason.HTTP_5XX, "HTTP 503"))
        .hasNoCause()
        .satisfies(e -> assertThat(e.isRetryable()).isTrue())
        .satisfies(e -> assertThat(e.reason()).isEqualTo(FailureReason.HTTP_5XX));
    assertThat(ImageFailureException.retryable("later"))
        .satisfies(e -> assertThat(e.isRetryable()).isTrue())
        .satisfies(e -> assertThat(e.reason()).isEqualTo(FailureReason.OTHER));
  }

  @Test
  void tagsAreLowerSnakeCase() {
    assertThat(FailureReason.HTTP_5XX.tag()).isEqualTo("http_5xx");
    assertThat(FailureReason.FORBIDDEN_ADDRESS.tag()).isEqualTo("forbidden_address");
  }
}
