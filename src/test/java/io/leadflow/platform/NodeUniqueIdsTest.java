package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.camunda.bpm.engine.impl.cfg.IdGenerator;
import org.junit.jupiter.api.Test;

import com.fasterxml.uuid.EthernetAddress;
import com.fasterxml.uuid.impl.TimeBasedGenerator;

/**
 * Two nodes on one host must not make the same ids. A node is simulated by a generator with its own
 * timer; "the same millisecond" by timers seeded alike, as Camunda's default seeds its timer with
 * the current millisecond.
 */
class NodeUniqueIdsTest {

    static final long SAME_MILLISECOND = 1_764_158_400_000L;

    @Test
    void camundasDefaultOnOneHost_makesTheSameIds_whenBothNodesStartInTheSameMillisecond() {
        EthernetAddress hostInterface = EthernetAddress.valueOf("02:fc:00:00:00:01");
        TimeBasedGenerator nodeA = new TimeBasedGenerator(hostInterface, NodeUniqueIds.timer(new Random(SAME_MILLISECOND)));
        TimeBasedGenerator nodeB = new TimeBasedGenerator(hostInterface, NodeUniqueIds.timer(new Random(SAME_MILLISECOND)));

        assertThat(collisions(() -> nodeA.generate().toString(), () -> nodeB.generate().toString()))
                .as("ids both nodes made").isPositive();
    }

    @Test
    void nodeUniqueIds_ofTwoNodes_neverCollide_evenWithTimersSeededAlike() {
        NodeUniqueIds nodeA = new NodeUniqueIds(EthernetAddress.constructMulticastAddress(new SecureRandom()), NodeUniqueIds.timer(new Random(SAME_MILLISECOND)));
        NodeUniqueIds nodeB = new NodeUniqueIds(EthernetAddress.constructMulticastAddress(new SecureRandom()), NodeUniqueIds.timer(new Random(SAME_MILLISECOND)));

        assertThat(nodeA.node()).isNotEqualTo(nodeB.node());
        assertThat(collisions(nodeA::nextId, nodeB::nextId)).as("ids both nodes made").isZero();
    }

    @Test
    void theIds_keepCamundasFormat_andTheirTimeOrder() {
        NodeUniqueIds ids = new NodeUniqueIds();
        assertThat(new NodeUniqueIds().node()).as("each process draws its own node").isNotEqualTo(ids.node());
        String first = ids.nextId();
        String second = ids.nextId();
        assertThat(first).hasSize(36).matches("[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(UUID.fromString(second).timestamp()).isGreaterThan(UUID.fromString(first).timestamp());
    }

    @Test
    void theEnginesIdGenerator_handsOutTheseIds() {
        IdGenerator engines = new CamundaInternals.NodeUniqueIdGenerator(new NodeUniqueIds());
        String first = engines.getNextId();
        String second = engines.getNextId();
        assertThat(first).hasSize(36).matches("[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(UUID.fromString(second).timestamp()).isGreaterThan(UUID.fromString(first).timestamp());
    }

    /** Interleaved ids of two generators, as two busy nodes make them: how many both made. */
    private static int collisions(IdGenerator a, IdGenerator b) {
        Set<String> seen = new HashSet<>();
        int collisions = 0;
        for (int i = 0; i < 20_000; i++) {
            collisions += seen.add(a.getNextId()) ? 0 : 1;
            collisions += seen.add(b.getNextId()) ? 0 : 1;
        }
        return collisions;
    }
}
