package io.leadflow.web;

import java.io.IOException;
import java.time.OffsetDateTime;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

/**
 * A request body's value is read as the type its field has, or refused (400 naming the field), as
 * {@code spring.jackson.mapper.allow-coercion-of-scalars: false} does for numbers and booleans. Two
 * readings that setting leaves: a number or a boolean as text ({@code "firstName": 42} stored the name
 * "42"), and a number as a date-time ({@code "occurredAt": 1700000000} was read as seconds since 1970,
 * an event of November 2023, and milliseconds as an event in the future).
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonTypes {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictJsonTypesCustomizer() {
        SimpleModule dateTimes = new SimpleModule("leadflow-strict-date-times");
        dateTimes.addDeserializer(OffsetDateTime.class, new TextOnly<>(OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME));
        return builder -> builder.modulesToInstall(dateTimes).postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /** The type's usual reading of text; any other JSON value is refused as not of the type. */
    static final class TextOnly<T> extends JsonDeserializer<T> implements ContextualDeserializer {

        private final Class<T> type;
        private final JsonDeserializer<? extends T> text;

        TextOnly(Class<T> type, JsonDeserializer<? extends T> text) {
            this.type = type;
            this.text = text;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return context.reportInputMismatch(type, "%s must be written as text", type.getSimpleName());
            }
            return text.deserialize(parser, context);
        }

        /** The text reading as the field's annotations and the mapper's settings configure it (a @JsonFormat, the time zone). */
        @Override
        @SuppressWarnings("unchecked")
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) throws JsonMappingException {
            return text instanceof ContextualDeserializer contextual
                    ? new TextOnly<>(type, (JsonDeserializer<? extends T>) contextual.createContextual(context, property)) : this;
        }

        @Override
        public Class<?> handledType() {
            return type;
        }
    }
}
