package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockMultipartFile;

/** The name an import keeps of its upload: the file's own name, without a path or control characters. */
class ImportFileNameTest {

    static MockMultipartFile upload(String name) {
        return new MockMultipartFile("file", name, "text/csv", "email\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lineBreaksAndANul_becomeUnderscores_soNoLogLineIsForged_andPostgresStoresIt() {
        assertThat(LeadImportController.fileName(upload("leads.csv\r\n INFO forged\u0000.csv"))).isEqualTo("leads.csv__ INFO forged_.csv");
    }

    @Test
    void aPathIsCutToTheName_andAVeryLongNameTo255Characters() {
        assertThat(LeadImportController.fileName(upload("C:\\Users\\mia\\leads.csv"))).isEqualTo("leads.csv");
        assertThat(LeadImportController.fileName(upload("x".repeat(300) + ".csv"))).hasSize(255);
        assertThat(LeadImportController.fileName(upload(" "))).isNull();
    }
}
