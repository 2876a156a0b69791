package io.imgpress.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents the {@code requestId} path variable once for every endpoint that takes it. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Parameter(
    name = "requestId",
    in = ParameterIn.PATH,
    description = "The id /upload answered with; anything that is not a UUID answers 404",
    example = ApiExamples.REQUEST_ID,
    schema = @Schema(type = "string", format = "uuid"))
@interface RequestIdParameter {}
