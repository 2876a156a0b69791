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
  void tagsAreLowerSnakeCase() {
    assertThat(FailureReason.HTTP_5XX.tag()).isEqualTo("http_5xx");
    assertThat(FailureReason.FORBIDDEN_ADDRESS.tag()).isEqualTo("forbidden_address");
  }
}
