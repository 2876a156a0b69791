package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.intake.BacklogFullException;
import io.imgpress.request.Request;
import io.imgpress.request.RequestNotFinalException;
import io.imgpress.request.RequestStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

class ProblemAdviceTest {

  @Test
  void unfinishedRequestKeepsTheHttpStatusAndNamesTheRequestStatusApart() {
    Request request =
        new Request(
            UUID.randomUUID(),
            RequestStatus.PROCESSING,
            50,
            10,
            4,
            1,
            null,
            Instant.EPOCH,
            Instant.EPOCH,
            0);

    ProblemDetail problem = new ProblemAdvice(1000).notFinal(new RequestNotFinalException(request));
    // The mixin Spring MVC applies: extension members sit beside the standard ones.
    String json =
        JsonMapper.builder()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build()
            .writeValueAsString(problem);

    assertThat(problem.getType()).isEqualTo(URI.create("/problems/request-not-final"));
    assertThat(json).contains("\"status\":409").contains("\"requestStatus\":\"processing\"");
    assertThat(json.split("\"status\"", -1)).as("one status member").hasSize(2);
  }

  @Test
  void aFullBacklogIs503WithRetryAfter() {
    var answer =
        new ProblemAdvice(1000)
            .backlogFull(new BacklogFullException(12, 10, Duration.ofSeconds(45)));

    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("45");
    assertThat(answer.getBody().getType()).isEqualTo(URI.create("/problems/backlog-full"));
    assertThat(answer.getBody().getDetail())
        .isEqualTo(
            "12 jobs are waiting, more than this service takes before it refuses new uploads"
                + " (10); try again later");
  }
}
