package io.imgpress.wiring;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.processing.ProcessingProperties;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.WorkerSettings;
import io.imgpress.queue.WorkerSettings.Lane;
import io.imgpress.webhook.WebhookProperties;
import java.util.EnumSet;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The queue's worker lanes, from the settings of the features whose jobs they run: uploads are
 * expanded by {@code imgpress.processing.intake-workers}, and webhook deliveries have {@code
 * imgpress.webhook.workers} of their own, so receivers that hang can never hold up image work, nor
 * images delay a webhook. Image jobs have no lane: the processing feature's staged pipeline claims
 * them itself, in batches.
 */
@ConditionalOnWorkerRole
@Configuration(proxyBeanMethods = false)
class WorkerLanes {

  @Bean
  WorkerSettings workerSettings(ProcessingProperties processing, WebhookProperties webhook) {
    return new WorkerSettings(
        List.of(
            new Lane("intake", EnumSet.of(JobKind.INTAKE), processing.intakeWorkers()),
            new Lane("webhook", EnumSet.of(JobKind.WEBHOOK), webhook.workers())),
        processing.lease(),
        processing.pollInterval(),
        processing.stopTimeout());
  }
}
