package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.capture.TemporaryImportFiles;

/** {@code POST /api/imports}: a marketing list as CSV, imported row by row in the background. */
class LeadImportApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    static ResponseEntity<Map<String, Object>> upload(RestClient http, Path file) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new FileSystemResource(file));
        return http.post().uri("/api/imports").contentType(MediaType.MULTIPART_FORM_DATA).body(parts)
                .retrieve().toEntity(MAP);
    }

    static Map<String, Object> awaitEnd(RestClient http, String location, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get().uri(location).retrieve().body(MAP), LeadImportApiTest::ended);
    }

    /** DONE or FAILED: QUEUED and RUNNING still change. */
    static boolean ended(Map<String, Object> status) {
        return "DONE".equals(status.get("status")) || "FAILED".equals(status.get("status"));
    }

    Path csv(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    Map<String, Object> leadByEmail(String email) {
        return jdbc.sql("select * from lead where email_normalized = :email").param("email", email).query().singleRow();
    }

    @Test
    void listWithSomeBadRows_importsTheGoodOnes_andExplainsTheBadOnesByRowAndColumn() throws IOException {
        String tag = Long.toString(System.nanoTime());
        String known = "known-" + tag + "@example.com";
        http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", known, "firstName", "Kim", "lastName", "Known", "company", "Known Co",
                        "companySize", 40, "country", "FR"))
                .retrieve().toBodilessEntity();
        long knownEngagements = jdbc.sql("select count(*) from lead_engagement e join lead l on l.id = e.lead_id where l.email_normalized = :email")
                .param("email", known).query(Long.class).single();
        Path file = csv("trade-show-" + tag + ".csv", """
                email,firstName,lastName,company,companySize,country,jobTitle,role,industry,campaign,source
                alan-%1$s@example.com,Alan,Turing,Bletchley Labs,120,GB,Researcher,practitioner,software,trade-show-2026,webForm
                not-an-email,Bad,Row,Nowhere,10,DE,,,,,
                joan-%1$s@example.com,Joan,Clarke,Codebreakers,lots,,,,,,
                "katherine-%1$s@example.com",Katherine,Johnson,"Orbits, Inc.",3000,US,,manager,,trade-show-2026,
                %2$s,Kim,Known,Known Co,40,FR,,,,,
                ALAN-%1$s@example.com,Alan,Again,Bletchley Labs,120,GB,,,,,
                mary-%1$s@example.com,Mary,Jackson,Langley,800,us,,,aerospace,,
                """.formatted(tag, known.toUpperCase()));

        ResponseEntity<Map<String, Object>> accepted = upload(http, file);

        assertThat(accepted.getStatusCode().value()).isEqualTo(202);
        assertThat(accepted.getBody()).as("a worker takes it; until then it waits").containsEntry("status", "QUEUED");
        String id = (String) accepted.getBody().get("id");
        assertThat(accepted.getHeaders().getLocation()).hasToString("/api/imports/" + id);
        Map<String, Object> done = awaitEnd(http, "/api/imports/" + id, Duration.ofSeconds(60));
        assertThat(done).containsEntry("id", id).containsEntry("fileName", "trade-show-" + tag + ".csv")
                .containsEntry("status", "DONE").containsEntry("rowsRead", 7).containsEntry("created", 3)
                .containsEntry("duplicates", 2).containsEntry("rejected", 2)
                .containsKeys("startedAt", "finishedAt");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) done.get("errors");
        assertThat(errors).extracting(e -> e.get("row") + " " + e.get("field"))
                .containsExactly("3 email", "4 companySize", "4 country");
        assertThat(errors).extracting(e -> e.get("reason"))
                .containsExactly("must be a valid email address", "must be a whole number", "must not be blank");

        assertThat(leadByEmail("alan-" + tag + "@example.com"))
                .as("the first row of an email wins; the source is always import")
                .containsEntry("FIRST_NAME", "Alan").containsEntry("LAST_NAME", "Turing")
                .containsEntry("SOURCE", "import").containsEntry("CAMPAIGN", "trade-show-2026")
                .containsEntry("ROLE", "practitioner");
        assertThat(leadByEmail("katherine-" + tag + "@example.com")).containsEntry("COMPANY", "Orbits, Inc.");
        Map<String, Object> mary = leadByEmail("mary-" + tag + "@example.com");
        assertThat(mary).containsEntry("COUNTRY", "US");
        assertThat(jdbc.sql("select count(*) from act_ru_execution where business_key_ = (select lead_number from lead where id = :id) and parent_id_ is null")
                .param("id", mary.get("ID")).query(Long.class).single()).as("its lifecycle runs").isPositive();
        assertThat(jdbc.sql("select count(*) from lead_engagement e join lead l on l.id = e.lead_id where l.email_normalized = :email")
                .param("email", known).query(Long.class).single())
                .as("a list import is no sign of interest: the known lead gets no form fill").isEqualTo(knownEngagements);
    }

    @Test
    void runningImport_showsItsProgressInStepsOfAHundredRows() throws IOException {
        String tag = Long.toString(System.nanoTime());
        StringBuilder rows = new StringBuilder("email,firstName,lastName,company,companySize,country\n");
        for (int i = 1; i <= 250; i++) {
            rows.append("step-").append(tag).append('-').append(i).append("@example.com,Step,").append(i)
                    .append(",Steps Ltd,12,BR\n");
        }
        ResponseEntity<Map<String, Object>> accepted = upload(http, csv("steps.csv", rows.toString()));
        String location = accepted.getHeaders().getLocation().toString();

        java.util.Set<Object> seenWhileRunning = new java.util.TreeSet<>();
        Map<String, Object> done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Map<String, Object> status = http.get().uri(location).retrieve().body(MAP);
                    if ("RUNNING".equals(status.get("status"))) {
                        seenWhileRunning.add(status.get("rowsRead"));
                    }
                    return status;
                }, LeadImportApiTest::ended);

        assertThat(done).containsEntry("status", "DONE").containsEntry("rowsRead", 250).containsEntry("created", 250);
        assertThat(seenWhileRunning).as("progress is stored every 100 rows, not per row").isSubsetOf(0, 100, 200)
                .containsAnyOf(100, 200);
    }

    @Test
    void spreadsheetExport_withByteOrderMarkSemicolonsAndSpokenColumnNames_isUnderstood() throws IOException {
        String tag = Long.toString(System.nanoTime());
        Path file = csv("export.csv", "\uFEFFE-Mail;First Name;Last Name;Company;Company Size;Country\r\n"
                + "ada-" + tag + "@example.com;Ada;Lovelace;Analytical Engines;500;de\r\n");

        ResponseEntity<Map<String, Object>> accepted = upload(http, file);

        Map<String, Object> done = awaitEnd(http, accepted.getHeaders().getLocation().toString(), Duration.ofSeconds(30));
        assertThat(done).containsEntry("status", "DONE").containsEntry("created", 1).containsEntry("rejected", 0);
        assertThat(leadByEmail("ada-" + tag + "@example.com")).containsEntry("COMPANY_SIZE", 500).containsEntry("COUNTRY", "DE");
    }

    @Test
    void fileWithoutARequiredColumn_isRefusedAtOnce_namingTheMissingColumns() throws IOException {
        long importsBefore = jdbc.sql("select count(*) from lead_import").query(Long.class).single();
        Path file = csv("no-country.csv", """
                email,firstName,lastName,company
                someone@example.com,Some,One,Company
                """);

        ResponseEntity<Map<String, Object>> response = upload(http, file);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody()).containsEntry("title", "Invalid CSV file");
        assertThat(response.getBody().get("errors").toString()).contains("companySize", "country");
        assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(importsBefore);
    }

    @Test
    void aCaptureOnlyKey_watchingItsImport_learnsNotWhetherAnAddressIsKnown() throws IOException {
        String tag = Long.toString(System.nanoTime());
        String known = "known-" + tag + "@example.com";
        awaitEnd(http, upload(http, csv("first-" + tag + ".csv", "email,firstName,lastName,company,companySize,country\n"
                + known + ",Ada,Lovelace,Engines,50,DE\n")).getHeaders().getLocation().toString(), Duration.ofSeconds(30));
        RestClient website = withKey(captureKey("website-" + tag));

        // one row, an address that is already a lead: created 0, duplicates 1 would say so
        String location = upload(website, csv("probe-" + tag + ".csv", "email,firstName,lastName,company,companySize,country\n"
                + known + ",Ada,Lovelace,Engines,50,DE\n")).getHeaders().getLocation().toString();
        Map<String, Object> seen = awaitEnd(website, location, Duration.ofSeconds(30));

        assertThat(seen).containsEntry("status", "DONE").containsEntry("rowsRead", 1).containsEntry("accepted", 1)
                .doesNotContainKeys("created", "duplicates", "suppressed");
        assertThat(http.get().uri(location).retrieve().body(MAP)).as("a reader sees the outcome")
                .containsEntry("created", 0).containsEntry("duplicates", 1);
    }

    @Test
    void aCaptureOnlyKey_seesTheImportsItUploaded_notAnotherKeysNorOnesFromBefore() throws IOException {
        String tag = Long.toString(System.nanoTime());
        RestClient website = withKey(captureKey("website-" + tag));
        RestClient partner = withKey(captureKey("partner-" + tag));
        String theirs = upload(website, csv("fair-" + tag + ".csv", "email,firstName,lastName,company,companySize,country\n"
                + "fair-" + tag + "@example.com,Ada,Lovelace,Engines,50,DE\n")).getHeaders().getLocation().toString();
        awaitEnd(website, theirs, Duration.ofSeconds(30));
        // uploaded by a person (the administrator)
        String marketing = upload(http, csv("list-" + tag + ".csv", "email,firstName,lastName,company,companySize,country\n"
                + "list-" + tag + "@example.com,Ada,Lovelace,Engines,50,DE\n")).getHeaders().getLocation().toString();
        awaitEnd(http, marketing, Duration.ofSeconds(30));

        for (String location : List.of(theirs, marketing)) {
            ResponseEntity<Map<String, Object>> other = partner.get().uri(location).retrieve().toEntity(MAP);
            assertThat(other.getStatusCode().value()).as(location).isEqualTo(404);
            assertThat(other.getBody()).as("nothing of it").doesNotContainKeys("fileName", "rowsRead", "errors");
        }
        assertThat(website.get().uri(marketing).retrieve().toEntity(MAP).getStatusCode().value()).isEqualTo(404);
        assertThat(website.get().uri(theirs).retrieve().body(MAP)).containsEntry("fileName", "fair-" + tag + ".csv")
                .doesNotContainKey("startedBy");
        assertThat(http.get().uri(theirs).retrieve().body(MAP)).as("a reader sees every import")
                .containsEntry("created", 1).doesNotContainKey("startedBy");
        // an import from before uploaders were kept: readers only
        jdbc.sql("update lead_import set started_by = null where id = :id").param("id", theirs.substring(theirs.lastIndexOf('/') + 1)).update();
        assertThat(website.get().uri(theirs).retrieve().toEntity(MAP).getStatusCode().value()).isEqualTo(404);
    }

    String captureKey(String name) {
        return (String) http.post().uri("/api/api-keys").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", name, "scopes", List.of("capture"))).retrieve().body(MAP).get("secret");
    }

    @Test
    void fileNamingAColumnTwice_isRefusedAtOnce_namingTheColumns() throws IOException {
        long importsBefore = jdbc.sql("select count(*) from lead_import").query(Long.class).single();
        String tag = Long.toString(System.nanoTime());
        Path file = csv("two-emails.csv", ("email,firstName,lastName,company,companySize,country,E-Mail\n"
                + "first-%1$s@example.com,Two,Addresses,Company,50,DE,second-%1$s@example.com\n").formatted(tag));

        ResponseEntity<Map<String, Object>> response = upload(http, file);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody()).containsEntry("title", "Invalid CSV file");
        assertThat(response.getBody().get("errors")).isEqualTo(List.of(Map.of("field", "email",
                "reason", "column appears more than once in the header row (columns 1 and 7): which one holds the email is unclear")));
        assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(importsBefore);
    }

    @Test
    void emptyRowsAndLineBreaksInsideQuotes_keepTheRowNumbersASpreadsheetShows() throws IOException {
        String tag = Long.toString(System.nanoTime());
        // rows: 1 header, 2 Ada, 3 blank, 4 Grace (her company on two lines: one row, lines 4-5), 5 a bad email,
        // 6 ",,,,,", 7 a bad size, 8 Mary, 9 blank
        Path file = csv("gaps-" + tag + ".csv", ("email,firstName,lastName,company,companySize,country\n"
                + "ada-%1$s@example.com,Ada,Lovelace,Analytical Engines,500,GB\n"
                + "\n"
                + "grace-%1$s@example.com,Grace,Hopper,\"Compilers\nInc\",250,US\n"
                + "not-an-email-%1$s,Bad,Row,Nowhere,10,DE\n"
                + ",,,,,\n"
                + "joan-%1$s@example.com,Joan,Clarke,Codebreakers,lots,GB\n"
                + "mary-%1$s@example.com,Mary,Jackson,Langley,800,US\n"
                + "\n").formatted(tag));

        ResponseEntity<Map<String, Object>> accepted = upload(http, file);

        Map<String, Object> done = awaitEnd(http, accepted.getHeaders().getLocation().toString(), Duration.ofSeconds(60));
        assertThat(done).as("empty rows are neither read nor rejected").containsEntry("status", "DONE")
                .containsEntry("rowsRead", 5).containsEntry("created", 2).containsEntry("rejected", 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) done.get("errors");
        assertThat(errors).extracting(e -> e.get("row") + " " + e.get("field") + " " + e.get("reason"))
                .containsExactlyInAnyOrder("4 company must not contain control characters",
                        "5 email must be a valid email address", "7 companySize must be a whole number");
        assertThat(leadByEmail("mary-" + tag + "@example.com")).containsEntry("COMPANY", "Langley");
    }

    @Test
    void quoteNeverClosed_isRefusedAtOnce_namingTheLineOfItsRow_andNothingIsKept() throws IOException {
        String tag = Long.toString(System.nanoTime());
        Path file = csv("open-quote.csv", ("email,firstName,lastName,company,companySize,country\n"
                + "ada-%1$s@example.com,Ada,Lovelace,Analytical Engines,500,GB\n"
                + "grace-%1$s@example.com,Grace,Hopper,\"Compilers Inc,250,US\n"
                + "joan-%1$s@example.com,Joan,Clarke,Codebreakers,40,GB\n").formatted(tag));

        assertRefusedAsBadCsv(file, tag, "has a quoted value that is never closed (the row starting on line 3): "
                + "every \" that opens a value must close it");
    }

    @Test
    void textAfterAClosingQuote_isRefusedAtOnce_namingTheLineOfItsRow_andNothingIsKept() throws IOException {
        String tag = Long.toString(System.nanoTime());
        StringBuilder rows = new StringBuilder("email,firstName,lastName,company,companySize,country\n");
        for (int i = 1; i <= 300; i++) {
            rows.append("early-").append(tag).append('-').append(i).append("@example.com,Eve,Early,Early Ltd,12,BR\n");
        }
        rows.append("\n\"grace-").append(tag).append("@example.com\",Grace,Hopper,\"Compilers\" Inc,250,US\n");
        Path file = csv("late-quote.csv", rows.toString());

        assertRefusedAsBadCsv(file, tag, "has text after the closing quote of a value (the row starting on line 303): "
                + "write a quote inside a quoted value as \"\"");
        assertThat(jdbc.sql("select count(*) from lead where email_normalized = :email")
                .param("email", "early-" + tag + "-1@example.com").query(Long.class).single())
                .as("no row before the bad one was imported").isZero();
    }

    /** The upload is answered 400 naming the file's problem; no import is stored and no copy of the file is left. */
    private void assertRefusedAsBadCsv(Path file, String tag, String reason) throws IOException {
        assertRefused(file, tag, "Every row must be valid CSV; nothing was imported", reason);
    }

    private void assertRefused(Path file, String tag, String detail, String reason) throws IOException {
        long importsBefore = jdbc.sql("select count(*) from lead_import").query(Long.class).single();

        ResponseEntity<Map<String, Object>> response = upload(http, file);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody()).containsEntry("title", "Invalid CSV file").containsEntry("detail", detail);
        assertThat(response.getBody().get("errors")).isEqualTo(List.of(Map.of("field", "file", "reason", reason)));
        assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(importsBefore);
        assertThat(TemporaryImportFiles.holding(tag)).as("the stored upload is deleted").isEmpty();
    }

    @Test
    void windows1252Export_withABadByteEarly_isRefusedAtOnce_namingItsLine_andNothingIsKept() throws IOException {
        String tag = Long.toString(System.nanoTime());
        Path file = dir.resolve("excel-export.csv");
        Files.write(file, ("email,firstName,lastName,company,companySize,country\r\n"
                + "ada-" + tag + "@example.com,Ada,Lovelace,Analytical Engines,500,DE\r\n"
                + "hans-" + tag + "@example.com,Hans,M\u00fcller,Maschinenbau GmbH,80,DE\r\n").getBytes(Charset.forName("windows-1252")));

        assertRefusedAsNotUtf8(file, tag, 3);
    }

    @Test
    void windows1252Export_withABadByteAfterTenThousandLines_isRefusedAtOnce_namingItsLine_andNothingIsKept() throws IOException {
        String tag = Long.toString(System.nanoTime());
        StringBuilder rows = new StringBuilder("email,firstName,lastName,company,companySize,country\n");
        for (int i = 1; i <= 10_000; i++) {
            rows.append("late-").append(tag).append('-').append(i).append("@example.com,Lee,Late,Late Ltd,12,BR\n");
        }
        rows.append("hans-").append(tag).append("@example.com,Hans,M\u00fcller,Maschinenbau GmbH,80,DE\n");
        Path file = dir.resolve("late-umlaut.csv");
        Files.write(file, rows.toString().getBytes(Charset.forName("windows-1252")));

        assertRefusedAsNotUtf8(file, tag, 10_002);
        assertThat(jdbc.sql("select count(*) from lead where email_normalized = :email")
                .param("email", "late-" + tag + "-1@example.com").query(Long.class).single())
                .as("no row before the bad byte was imported").isZero();
    }

    /** The upload is answered 400 naming the line of the first bad byte; no import is stored and no copy of the file is left. */
    private void assertRefusedAsNotUtf8(Path file, String tag, int badLine) throws IOException {
        assertRefused(file, tag, "The file must be UTF-8 text; nothing was imported",
                "is not UTF-8 text (line " + badLine + "): save it as CSV UTF-8");
    }

    @Test
    void aFileNameTooLongToRead_isA400NamingFile_notAnUploadTooLarge() throws IOException {
        long importsBefore = jdbc.sql("select count(*) from lead_import").query(Long.class).single();
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new org.springframework.core.io.ByteArrayResource(
                "email,firstName,lastName,company,companySize,country\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "a".repeat(600) + ".csv";
            }
        });

        ResponseEntity<Map<String, Object>> response = http.post().uri("/api/imports").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts).retrieve().toEntity(MAP);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody().get("errors").toString()).contains("file", "file name too long");
        assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(importsBefore);
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void anImportsFileName_whichMayNameAPerson_isNotInTheLogAtInfo(org.springframework.boot.test.system.CapturedOutput output)
            throws IOException {
        String name = "erin-erasable-" + System.nanoTime() + ".csv";
        ResponseEntity<Map<String, Object>> accepted = upload(http, csv(name, "email,firstName,lastName,company,companySize,country\n"));
        assertThat(accepted.getStatusCode().value()).isEqualTo(202);
        awaitEnd(http, "/api/imports/" + accepted.getBody().get("id"), Duration.ofSeconds(30));

        assertThat(output.getOut()).contains("Import " + accepted.getBody().get("id") + " accepted").doesNotContain(name);
    }

    @Test
    void emptyFile_isRefusedAtOnce() throws IOException {
        ResponseEntity<Map<String, Object>> response = upload(http, csv("empty.csv", ""));

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody().get("errors").toString()).contains("header row");
    }

    @Test
    void unknownImport_isA404Problem() {
        ResponseEntity<Map<String, Object>> response = http.get().uri("/api/imports/{id}", "no-such-import").retrieve().toEntity(MAP);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody()).containsEntry("detail", "No import with id 'no-such-import'");
    }
}
