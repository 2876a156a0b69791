package io.imgpress;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * The bean exists only in a process that does the work ({@code imgpress.role} {@code all} or {@code
 * worker}): it claims jobs, processes images and uploads, or delivers webhooks.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(RoleCondition.class)
public @interface ConditionalOnWorkerRole {}
