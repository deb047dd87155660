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

        // once, in words and rule ids rather than the engine's dump of the matched rules
        assertThat(violations).containsExactly("decision leadFitGrade fails: DMN-03001 Hit policy 'UNIQUE' only allows a single rule"
                + " to match (rules Rule_GradeA, Rule_GradeB) (inputs {fitScore=35})");
    }

    @Test
    void aGapInTheGrades_anOutputRenamed_aTypoInARule_andOverlappingEngagementRules_areNamed() throws IOException {
        String gap = file("lead-fit.dmn").replace("<text>[15..25)</text>", "<text>[16..25)</text>");
        assertThat(DecisionRules.check(read(gap))).containsExactly(
                "decision leadFitGrade gives no grade: the scorer needs exactly one (inputs {fitScore=15})");

        String renamed = file("lead-fit.dmn").replace("label=\"Points\" name=\"points\"", "label=\"Points\" name=\"score\"");
        assertThat(DecisionRules.check(read(renamed))).containsExactly(
                "decision leadFit: has no output named 'points' (it has [reason, score]), which the app reads");

        // several rules match those inputs: the one whose cell is empty is named, not only the inputs
        String noPoints = file("lead-fit.dmn").replace("<outputEntry id=\"LE_IndustryCore_1\"><text>15</text>",
                "<outputEntry id=\"LE_IndustryCore_1\"><text></text>");
        assertThat(noPoints).contains("<outputEntry id=\"LE_IndustryCore_1\"><text></text>");
        assertThat(DecisionRules.check(read(noPoints))).containsExactly("decision leadFit: rule Rule_IndustryCore gives no 'points'"
                + " (its cell is empty): every lead it matches would be scored without it");

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
                .allSatisfy(v -> assertThat(v).startsWith("decision mqlDecision gives 2 results: the lifecycle needs exactly one"));

        // without its last rule ("otherwise keep nurturing") a lead that is no MQL gets nothing, and the gateway fails on it
        String noOtherwise = mql.replaceAll("(?s)<rule id=\"Rule_NotMql\">.*?</rule>", "");
        assertThat(noOtherwise).isNotEqualTo(mql);
        assertThat(DecisionRules.check(read(noOtherwise))).isNotEmpty()
                .allSatisfy(v -> assertThat(v).startsWith("decision mqlDecision gives no result: the lifecycle needs exactly one"));
    }

    @Test
    void aGradeTheLeadRecordCannotHold_orAnInputReadingAVariableTheAppDoesNotGive_isNamed() throws IOException {
        String longGrade = file("lead-fit.dmn").replace("<text>\"A\"</text>", "<text>\"A+\"</text>");
        assertThat(longGrade).isNotEqualTo(file("lead-fit.dmn"));
        assertThat(DecisionRules.check(read(longGrade))).first().asString()
                .startsWith("decision leadFitGrade gives grade 'A+': a grade is one capital letter");

        String seniority = file("lead-fit.dmn").replace("<text>role</text>", "<text>seniority</text>");
        assertThat(DecisionRules.check(read(seniority))).containsExactly("decision leadFit: input 'Role' reads seniority, which the app"
                + " does not give this decision (it gives [companySize, country, industry, role]): every lead would read nothing there");

        String totalScore = file("mql-decision.dmn").replace("leadScore &gt;= mqlThreshold", "totalScore &gt;= mqlThreshold");
        assertThat(DecisionRules.check(read(totalScore))).singleElement().asString()
                .startsWith("decision mqlDecision: input 'Combined score reaches the threshold' reads totalScore, which the app does not give");

        // FEEL's functions, words and literals are no variables
        assertThat(DecisionRules.names("string length(upper case(industry)) > 3 and not(role = \"x y\") or date(\"2026-01-01\").year > 1"))
                .containsExactly("industry", "role");
    }

    @Test
    void aBrokenRuleForOneCountryOfAListTooLongToTryEveryCombination_isStillFound() throws IOException {
        // thirty served countries make more combinations than are tried; the rule for JP gives points that are no integer
        // (an empty cell is named by the table's structure before any walk: the other test)
        String countries = "\"DE\",\"AT\",\"CH\",\"GB\",\"FR\",\"NL\",\"US\",\"CA\",\"BE\",\"JP\",\"IE\",\"ES\",\"IT\",\"SE\",\"DK\","
                + "\"NO\",\"FI\",\"PL\",\"PT\",\"CZ\",\"HU\",\"RO\",\"GR\",\"SK\",\"SI\",\"HR\",\"LT\",\"LV\",\"EE\",\"LU\"";
        String base = file("lead-fit.dmn").replace("<text>\"DE\",\"AT\",\"CH\",\"GB\",\"FR\",\"NL\",\"US\",\"CA\"</text>", "<text>" + countries + "</text>");
        assertThat(base).isNotEqualTo(file("lead-fit.dmn"));
        assertThat(DecisionRules.check(read(base))).as("the long list alone is fine").isEmpty();
        String japan = base.replaceFirst("</decisionTable>", """
                <rule id="Rule_Japan"><inputEntry id="UT_Japan_1"><text></text></inputEntry><inputEntry id="UT_Japan_2"><text></text></inputEntry>
                <inputEntry id="UT_Japan_3"><text></text></inputEntry><inputEntry id="UT_Japan_4"><text>"JP"</text></inputEntry>
                <outputEntry id="LE_Japan_1"><text>"ten"</text></outputEntry><outputEntry id="LE_Japan_2"><text>"Japan partner programme"</text></outputEntry></rule>
                </decisionTable>""");

        assertThat(DecisionRules.check(read(japan))).singleElement().asString()
                .startsWith("decision leadFit fails: DMN-01005 Invalid value 'ten' for clause with type 'integer'").contains("country=JP");
    }
}
