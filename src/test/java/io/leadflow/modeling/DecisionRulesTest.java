package io.leadflow.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.junit.jupiter.api.Test;

/**
 * The decisions the app evaluates are evaluated before a deploy with the inputs the app gives them:
 * a table a process owner edits in Modeler that would fail a lead is named with the inputs that show it.
 */
class DecisionRulesTest {

    static String file(String name) throws IOException {
        return Files.readString(Path.of("processes", name));
    }

    static DmnModelInstance read(String xml) {
        return Dmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theRepositorysDecisions_passAsTheyAre() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("processes"))) {
            List<Path> decisions = files.filter(f -> f.toString().endsWith(".dmn")).toList();
            assertThat(decisions).hasSize(4);
            for (Path file : decisions) {
                assertThat(DecisionRules.check(Dmn.readModelFromFile(file.toFile()))).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void gradeAFromFit35_whileBStillEndsAt38_isNamedWithTheOverlappingRules() throws IOException {
        // the threshold tweak that made every capture of a lead with fit 35–37 a 500
        String edited = file("lead-fit.dmn").replace("<text>&gt;= 38</text>", "<text>&gt;= 35</text>");

        List<String> violations = DecisionRules.check(read(edited));

        assertThat(violations).hasSize(3).allSatisfy(v -> assertThat(v).startsWith("decision leadFitGrade fails: ")
                .contains("UNIQUE").contains("Rule_GradeA").contains("Rule_GradeB"));
        assertThat(violations.get(0)).endsWith("(inputs {fitScore=35})");
        assertThat(violations.get(2)).endsWith("(inputs {fitScore=37})");
    }

    @Test
    void aGapInTheGrades_anOutputRenamed_aTypoInARule_andOverlappingEngagementRules_areNamed() throws IOException {
        String gap = file("lead-fit.dmn").replace("<text>[15..25)</text>", "<text>[16..25)</text>");
        assertThat(DecisionRules.check(read(gap))).containsExactly(
                "decision leadFitGrade gives no grade: the scorer needs exactly one (inputs {fitScore=15})");

        String renamed = file("lead-fit.dmn").replace("label=\"Points\" name=\"points\"", "label=\"Points\" name=\"score\"");
        assertThat(DecisionRules.check(read(renamed))).isNotEmpty().allSatisfy(v -> assertThat(v)
                .startsWith("decision leadFit gives a rule without whole-number points (output 'points': null)"));

        String typo = file("lead-fit.dmn").replace("<text>[200..5000]</text>", "<text>[200..5000</text>");
        assertThat(DecisionRules.check(read(typo))).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("decision leadFit fails: "));

        String points = file("engagement-points.dmn");
        String twice = points.replace("\"download\"", "\"download\",\"webinar\"");
        assertThat(twice).isNotEqualTo(points);
        assertThat(DecisionRules.check(read(twice))).singleElement().satisfies(v -> assertThat(v)
                .startsWith("decision engagementPoints fails: ").contains("UNIQUE").endsWith("(inputs {engagementType=webinar})"));
    }

    @Test
    void routingAndTheMqlDecision_mustGiveOneValueOfTheirKind() throws IOException {
        String routing = file("lead-routing.dmn");
        String territoryAsNumber = routing.replace("typeRef=\"string\" />", "typeRef=\"integer\" />");
        assertThat(territoryAsNumber).isNotEqualTo(routing);
        assertThat(DecisionRules.check(read(territoryAsNumber))).isNotEmpty()
                .allSatisfy(v -> assertThat(v).startsWith("decision leadRouting "));

        String mql = file("mql-decision.dmn");
        String collected = mql.replace("hitPolicy=\"FIRST\"", "hitPolicy=\"COLLECT\"");
        assertThat(collected).isNotEqualTo(mql);
        assertThat(DecisionRules.check(read(collected))).isNotEmpty()
                .allSatisfy(v -> assertThat(v).startsWith("decision mqlDecision gives 2 results: the process takes one"));
    }
}
