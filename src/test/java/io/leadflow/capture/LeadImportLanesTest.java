package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The import's row lanes: every row of one email takes the same single-thread lane, so the rows of
 * an email are captured in file order and the first one wins, whatever the number of capture threads
 * ({@code LeadImportApiTest} checks the outcome end to end, where a broken lane fails only by chance).
 */
class LeadImportLanesTest {

    @Test
    void rowsOfOneEmail_takeOneLane_howeverTheEmailIsWritten() {
        List<String> spellings = List.of("Ada.Lovelace@Example.com", "  ada.lovelace@example.com ", "ADA.LOVELACE@EXAMPLE.COM");
        for (int lanes = 1; lanes <= 32; lanes++) {
            int first = LeadImports.lane(spellings.get(0), 2, lanes);
            assertThat(first).isBetween(0, lanes - 1);
            for (int row = 2; row < 200; row++) {
                for (String spelling : spellings) {
                    assertThat(LeadImports.lane(spelling, row, lanes)).as("%s in row %d, %d lanes", spelling, row, lanes)
                            .isEqualTo(first);
                }
            }
        }
    }

    @Test
    void differentEmails_andRowsWithoutOne_useEveryLane() {
        Set<Integer> byEmail = new HashSet<>();
        IntStream.range(0, 100).forEach(i -> byEmail.add(LeadImports.lane("lead" + i + "@example.com", i + 2, 4)));
        assertThat(byEmail).containsExactlyInAnyOrder(0, 1, 2, 3);

        Set<Integer> withoutEmail = new HashSet<>();
        IntStream.range(2, 102).forEach(row -> withoutEmail.add(LeadImports.lane(null, row, 4)));
        assertThat(withoutEmail).containsExactlyInAnyOrder(0, 1, 2, 3);
    }
}
