package io.imgpress.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * A problem answered by a servlet filter, before Spring MVC and so before {@link ProblemAdvice}:
 * the same members, spelled the same way.
 */
final class FilterProblems {

  /** The type of every refusal of a browser's request because of the page it came from. */
  static final String ORIGIN_NOT_ALLOWED = "origin-not-allowed";

  static final String ORIGIN_NOT_ALLOWED_TITLE = "Origin not allowed";

  private FilterProblems() {}

  static void write(
      HttpServletResponse response,
      JsonMapper json,
      HttpStatus status,
      String type,
      String title,
      String detail,
      String instance)
      throws IOException {
    byte[] body = body(json, status, type, title, detail, instance);
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  static byte[] body(
      JsonMapper json,
      HttpStatus status,
      String type,
      String title,
      String detail,
      String instance) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "/problems/" + type);
    problem.put("title", title);
    problem.put("status", status.value());
    problem.put("detail", detail);
    if (instance != null) {
      problem.put("instance", instance);
    }
    return json.writeValueAsBytes(problem);
  }
}
