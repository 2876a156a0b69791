package io.imgpress.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * The bean exists only when {@code imgpress.store} is a SQL database ({@code h2}, the default, or
 * {@code postgres}): the JDBC adapters and what they need.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(SqlStoreCondition.class)
public @interface ConditionalOnSqlStore {}
