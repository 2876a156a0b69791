package io.imgpress.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The states' wire names are the API's (status documents, result CSV). */
class RequestStatesTest {

  @Test
  void wireNamesAreLowerCase() {
    assertThat(Arrays.stream(ImageStatus.values()).map(ImageStatus::wire))
        .containsExactly("pending", "processing", "completed", "failed");
    assertThat(Arrays.stream(RequestStatus.values()).map(RequestStatus::wire))
        .containsExactly("pending", "processing", "completed", "failed");
    assertThat(Arrays.stream(WebhookStatus.values()).map(WebhookStatus::wire))
        .containsExactly("pending", "delivered", "failed");
  }

  @Test
  void onlyCompletedAndFailedAreFinal() {
    assertThat(Arrays.stream(ImageStatus.values()).filter(ImageStatus::isFinal))
        .containsExactly(ImageStatus.COMPLETED, ImageStatus.FAILED);
    assertThat(Arrays.stream(RequestStatus.values()).filter(RequestStatus::isFinal))
        .containsExactly(RequestStatus.COMPLETED, RequestStatus.FAILED);
  }

  @Test
  void aRequestNotFinalSaysHowFarItGot() {
    UUID id = UUID.fromString("3f2b1c9e-0000-4000-8000-000000000001");
    Request request =
        new Request(
            id, RequestStatus.PROCESSING, 50, 10, 4, 1, null, Instant.EPOCH, Instant.EPOCH, 0L);

    RequestNotFinalException e = new RequestNotFinalException(request);

    assertThat(e.request()).isSameAs(request);
    assertThat(e)
        .hasMessage(
            "request 3f2b1c9e-0000-4000-8000-000000000001 is still processing:"
                + " 4 of 10 images processed");
  }
}
