package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The rules a form carries as custom properties ({@code properties.min} and the like, which form-js
 * ignores) are checked like form-js's own, with the same messages; one that is not a number fails loudly.
 */
class FormInputTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception unreadable) {
            throw new IllegalArgumentException(unreadable);
        }
    }

    static JsonNode form(String field) {
        return json("""
                {"id": "test-form", "components": [
                  {"key": "decision", "type": "radio", "values": [{"value": "yes"}, {"value": "no"}]},
                  %s]}
                """.formatted(field));
    }

    @Test
    void customMinAndMax_refuseAsFormJsMinAndMaxDo() {
        JsonNode custom = form("""
                {"key": "amount", "label": "Amount (EUR)", "type": "number", "properties": {"min": "0", "max": "1000"}}""");
        JsonNode formJs = form("""
                {"key": "amount", "label": "Amount (EUR)", "type": "number", "validate": {"min": 0, "max": 1000}}""");

        for (String amount : new String[] {"-1", "1001", "\"a lot\""}) {
            JsonNode submitted = json("{\"amount\": {\"value\": " + amount + "}}");
            assertThat(FormInput.check(custom, submitted)).as("amount %s", amount).isNotEmpty()
                    .isEqualTo(FormInput.check(formJs, submitted));
        }
        assertThat(FormInput.check(custom, json("{\"amount\": {\"value\": -1}}")))
                .extracting(FormInput.Problem::text).containsExactly("Amount (amount): must be at least 0");
        assertThat(FormInput.check(custom, json("{\"amount\": {\"value\": 1001}}")))
                .extracting(FormInput.Problem::text).containsExactly("Amount (amount): must be at most 1,000, was 1,001");
        assertThat(FormInput.check(custom, json("{\"amount\": {\"value\": 0}}"))).isEmpty();
        assertThat(FormInput.check(custom, json("{\"amount\": {\"value\": \"1000\"}}"))).isEmpty();
        assertThat(FormInput.check(custom, json("{\"decision\": {\"value\": \"no\"}}"))).as("hidden: not submitted").isEmpty();
    }

    @Test
    void customLengths_andRequiredWhen_refuseAsFormJsRulesDo() {
        JsonNode reason = form("""
                {"key": "reason", "label": "Reason (required; at most 5 characters)", "type": "textfield",
                 "properties": {"requiredWhen": "decision = yes", "minLength": "2", "maxLength": "5"}}""");

        assertThat(FormInput.check(reason, json("{\"decision\": {\"value\": \"yes\"}, \"reason\": {\"value\": \"too long\"}}")))
                .extracting(FormInput.Problem::text).containsExactly("Reason (reason): must be at most 5 characters, was 8");
        assertThat(FormInput.check(reason, json("{\"decision\": {\"value\": \"yes\"}, \"reason\": {\"value\": \"a\"}}")))
                .extracting(FormInput.Problem::text).containsExactly("Reason (reason): must be at least 2 characters");
        assertThat(FormInput.check(reason, json("{\"decision\": {\"value\": \"yes\"}, \"reason\": {\"value\": \"   \"}}")))
                .extracting(FormInput.Problem::text).containsExactly("Reason (reason): must not be only spaces");
        assertThat(FormInput.check(reason, json("{\"decision\": {\"value\": \"yes\"}}")))
                .extracting(FormInput.Problem::text).containsExactly("Reason (reason): is required when decision is \"yes\"");
        assertThat(FormInput.check(reason, json("{\"decision\": {\"value\": \"yes\"}, \"reason\": {\"value\": \" fair \"}}"))).isEmpty();
        assertThat(FormInput.check(reason, json("{\"decision\": {\"value\": \"no\"}}"))).isEmpty();
    }

    @Test
    void aNumberWithMoreDecimalsThanItsFieldShows_isRefused_asTheBrowserWouldRoundIt() {
        JsonNode amount = form("""
                {"key": "opportunityAmount", "label": "Expected deal size (EUR)", "type": "number", "decimalDigits": 0}""");
        assertThat(FormInput.check(amount, json("{\"opportunityAmount\": {\"value\": 48000.50}}")))
                .extracting(FormInput.Problem::text).containsExactly("Expected deal size (opportunityAmount): must be a whole number, was 48000.5");
        assertThat(FormInput.check(amount, json("{\"opportunityAmount\": {\"value\": 48000}}"))).isEmpty();
        assertThat(FormInput.check(amount, json("{\"opportunityAmount\": {\"value\": 48000.0}}"))).isEmpty();
        JsonNode rate = form("""
                {"key": "rate", "label": "Rate", "type": "number", "decimalDigits": 2}""");
        assertThat(FormInput.check(rate, json("{\"rate\": {\"value\": 1.125}}")))
                .extracting(FormInput.Problem::text).containsExactly("Rate (rate): must have at most 2 decimal places, was 1.125");
    }

    @Test
    void aConditionalRequirement_isNamedInTheFormsWords_theFieldsLabelAndTheOptionChosen() {
        JsonNode form = json("""
                {"components": [
                  {"key": "acceptDecision", "label": "Decision", "type": "radio",
                   "values": [{"label": "Accept (SAL)", "value": "accept"}, {"label": "Reject", "value": "reject"}]},
                  {"key": "rejectReason", "label": "Reason for rejecting", "type": "select",
                   "properties": {"requiredWhen": "acceptDecision = reject"}}]}""");

        assertThat(FormInput.check(form, json("{\"acceptDecision\": {\"value\": \"reject\"}}")))
                .extracting(FormInput.Problem::text).containsExactly("Reason for rejecting (rejectReason): is required when Decision is \"Reject\"");
    }

    @Test
    void aCustomRuleThatIsNotANumber_isNamedBeforeDeploying_andFailsTheCheckLoudly() {
        JsonNode malformed = form("""
                {"key": "amount", "type": "number", "properties": {"min": "zero", "maxLength": "2.5"}},
                {"key": "note", "type": "textfield", "properties": {"requiredWhen": "decision == yes", "max": "10"},
                 "validate": {"max": 10}}""");

        assertThat(FormInput.ruleProblems(malformed)).containsExactly(
                "form 'test-form', field 'amount': custom property min is 'zero', not a number",
                "form 'test-form', field 'amount': custom property maxLength is '2.5', not a whole number from 0",
                "form 'test-form', field 'note': max is set both in validate and as a custom property; keep one",
                "form 'test-form', field 'note': custom property requiredWhen is 'decision == yes', not 'field = value'");
        assertThatThrownBy(() -> FormInput.check(malformed, json("{\"amount\": {\"value\": 5}}")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("field 'amount': custom property min is 'zero', not a number");
        assertThat(FormInput.ruleProblems(form("""
                {"key": "amount", "type": "number", "properties": {"min": "-1.5", "max": "1e3", "maxLength": "200"}}""")))
                .isEmpty();
    }

    @Test
    void aTextLongerThanTheEngineStores_isRefused_evenWhereTheFormSetsNoLimit() {
        JsonNode form = json("""
                {"id": "f", "components": [{"key": "assignTo", "type": "textfield", "label": "Rep"}]}""");

        assertThat(FormInput.check(form, json("{\"assignTo\": {\"value\": \"" + "a".repeat(4_001) + "\"}}")))
                .extracting(FormInput.Problem::reason)
                .containsExactly("must be at most 4,000 characters (what the engine stores in a text variable), was 4,001");
        assertThat(FormInput.check(form, json("{\"assignTo\": {\"value\": \"" + "a".repeat(4_000) + "\"}}"))).isEmpty();
    }

    @Test
    void controlCharacters_areRefused_butATextAreasLineBreaksAreItsOwn() {
        JsonNode form = json("""
                {"id": "f", "components": [{"key": "name", "type": "textfield", "label": "Name"},
                                           {"key": "note", "type": "textarea", "label": "Note"}]}""");

        assertThat(FormInput.check(form, json("{\"name\": {\"value\": \"a\\nb\"}, \"note\": {\"value\": \"a\\nb\\tc\"}}")))
                .extracting(FormInput.Problem::field).containsExactly("name");
        // C1 controls and the Unicode line separator too, which \\p{Cntrl} does not match
        assertThat(FormInput.check(form, json("{\"note\": {\"value\": \"a\\u0085b\"}}"))).extracting(FormInput.Problem::field)
                .containsExactly("note");
        assertThat(FormInput.check(form, json("{\"name\": {\"value\": \"a\\u2028b\"}}"))).extracting(FormInput.Problem::field)
                .containsExactly("name");
    }

    @Test
    void aRequiredFieldLeftOut_isRefused_unlessTheTaskHasItAlready() {
        JsonNode form = json("""
                {"id": "f", "components": [{"key": "firstName", "type": "textfield", "label": "First name",
                                            "validate": {"required": true}}]}""");

        assertThat(FormInput.check(form, json("{}"))).extracting(FormInput.Problem::reason).containsExactly("is required");
        assertThat(FormInput.check(form, json("{}"), java.util.Set.of("firstName"))).as("prefilled and kept").isEmpty();
    }
}
