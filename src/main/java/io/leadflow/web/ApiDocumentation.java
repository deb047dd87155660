package io.leadflow.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of {@code /api/**}: {@code /v3/api-docs} (JSON) and
 * {@code /swagger-ui.html} (to read and try it).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(
        title = "leadflow API",
        version = "v1",
        description = """
                The API systems use to feed and read the sales–marketing lead process: capture leads (JSON, \
                web-form webhook, CSV import), report engagement events, look up the shared lead record and \
                SLA breaches. Every error is an RFC 9457 problem detail (`application/problem+json`); validation \
                errors list every bad field under `errors` as `{field, reason}`. A 500 is a failure on our side: \
                its detail is generic, the cause is in our logs."""))
public class ApiDocumentation {

    /** Media type of every error answer. */
    public static final String PROBLEM_JSON = "application/problem+json";
}
