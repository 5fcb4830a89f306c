package com.example.shop.common.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every error a service answers is an RFC 9457 {@code application/problem+json} body. Client mistakes
 * are 4xx and name the offending field in {@code errors[].field} (and in {@code detail}); only a fault
 * of ours is a 500, and its detail gives nothing away.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** Jackson's message for a key given twice (it carries no path of its own). */
    private static final Pattern DUPLICATE_PROPERTY = Pattern.compile("Duplicate Object property \"([^\"]*)\"");

    @ExceptionHandler(ApiException.class)
    public Mono<ResponseEntity<Object>> handleApiException(ApiException ex, ServerWebExchange exchange) {
        if (ex.status().is5xxServerError()) {
            log.warn("{} {} -> {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    ex.status().value(), ex.getMessage());
        }
        return problem(ex.status(), ex.getMessage(), ex.errors(), exchange);
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged.",
                List.of(), exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : ex.getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        ex.getGlobalErrors().forEach(error -> errors.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return problem(HttpStatus.BAD_REQUEST, summary(errors), errors, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error -> errors.add(new FieldProblem(name, error.getDefaultMessage())));
        });
        return problem(HttpStatus.BAD_REQUEST, summary(errors), errors, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(MissingRequestValueException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        var error = new FieldProblem(ex.getName(), "is required");
        return problem(HttpStatus.BAD_REQUEST, summary(List.of(error)), List.of(error), exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (findCause(ex, DataBufferLimitException.class) != null) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than the limit.", List.of(),
                    exchange);
        }
        JacksonException json = findCause(ex, JacksonException.class);
        if (json != null) {
            FieldProblem error = describe(json);
            return problem(HttpStatus.BAD_REQUEST, summary(List.of(error)), List.of(error), exchange);
        }
        if (ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null
                && !ex.getMethodParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
            var error = new FieldProblem(ex.getMethodParameter().getParameterName(), isInteger(ex.getMethodParameter().getParameterType())
                    ? StrictIntegers.MESSAGE : "has the wrong type or format");
            return problem(HttpStatus.BAD_REQUEST, summary(List.of(error)), List.of(error), exchange);
        }
        String reason = ex.getReason() == null ? "The request could not be read." : ex.getReason();
        if (reason.startsWith("No request body")) {
            reason = "A JSON request body is required.";
        }
        return problem(HttpStatus.BAD_REQUEST, reason, List.of(), exchange);
    }

    private static boolean isInteger(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class;
    }

    /** Names the JSON path of a body that could not be read, and says what was wrong with it. */
    static FieldProblem describe(JacksonException ex) {
        String path = path(ex);
        if (ex instanceof PropertyBindingException unknown) {
            String name = unknown.getPropertyName();
            String field = path.isEmpty() ? name : path;
            return new FieldProblem(field, name != null && name.startsWith("$")
                    ? "field names must not start with '$'"
                    : "unknown field; known: " + known(unknown.getKnownPropertyIds()));
        }
        if (ex instanceof InvalidNullException) {
            return new FieldProblem(path, "must not be null");
        }
        if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldProblem(path.isEmpty() ? "body" : path, "must be " + describe(mismatch.getTargetType()));
        }
        if (ex instanceof StreamReadException) {
            Matcher duplicate = DUPLICATE_PROPERTY.matcher(String.valueOf(ex.getOriginalMessage()));
            if (duplicate.find()) {
                String field = path.isEmpty() ? duplicate.group(1) : path + "." + duplicate.group(1);
                return new FieldProblem(field, "appears more than once");
            }
            return new FieldProblem(path.isEmpty() ? "body" : path, "malformed JSON: " + firstLine(ex.getOriginalMessage()));
        }
        return new FieldProblem(path.isEmpty() ? "body" : path, firstLine(ex.getOriginalMessage()));
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a valid " + type.getSimpleName();
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : String.join(", ", ids.stream().map(String::valueOf).sorted().toList());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String summary(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            return "The request is invalid.";
        }
        return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
    }

    static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private Mono<ResponseEntity<Object>> problem(HttpStatus status, String detail, List<FieldProblem> errors,
            ServerWebExchange exchange) {
        ProblemDetail body = problemDetail(status, detail, errors, exchange.getRequest().getPath().value());
        return Mono.just(ResponseEntity.status(status).body(body));
    }

    /** The problem body every error of the project has, also used where no controller is involved. */
    public static ProblemDetail problemDetail(HttpStatus status, String detail, List<FieldProblem> errors,
            String instance) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setInstance(java.net.URI.create(instance));
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return body;
    }
}
