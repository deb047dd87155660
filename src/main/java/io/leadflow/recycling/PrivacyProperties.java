package io.leadflow.recycling;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code leadflow.privacy.*}. The suppression salt keys the hash under which an address that asked
 * not to be contacted is remembered; the embedded profile has a development value, production must
 * set its own secret ({@code LEADFLOW_SUPPRESSION_SALT}) and never change it (a new salt forgets
 * every suppression).
 */
@Validated
@ConfigurationProperties("leadflow.privacy")
public record PrivacyProperties(@NotBlank @Size(min = 16, message = "must be at least 16 characters") String suppressionSalt) {
}
