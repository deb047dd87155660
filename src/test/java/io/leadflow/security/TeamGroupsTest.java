package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.Group;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A production install (no demo users) has the teams' groups the models, grants and filters name, so
 * an administrator puts people in them; starting again, or a second node, changes nothing.
 */
class TeamGroupsTest {

    ProcessEngine engine;

    @BeforeEach
    void engine() {
        engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:team-groups-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setProcessEngineName("team-groups-" + UUID.randomUUID())
                .setJobExecutorActivate(false)
                .buildProcessEngine();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aFreshInstall_getsTheTeamsGroups_once_andPeopleCanBePutInThem() {
        var identity = engine.getIdentityService();
        assertThat(identity.createGroupQuery().count()).isZero();
        GroupGrants grants = new GroupGrants(engine.getAuthorizationService(), identity);

        grants.createTeamGroups();
        grants.createTeamGroups(); // a restart, or the second node
        new GroupGrants(engine.getAuthorizationService(), identity).createTeamGroups();

        assertThat(identity.createGroupQuery().list()).extracting(Group::getId)
                .containsExactlyInAnyOrder("marketing", "marketingManagers", "sales", "salesManagers", "processOwners");
        assertThat(identity.createGroupQuery().groupId("salesManagers").singleResult().getName()).isEqualTo("Sales managers");
        identity.saveUser(identity.newUser("sam"));
        identity.createMembership("sam", "sales");
        assertThat(identity.createGroupQuery().groupMember("sam").list()).extracting(Group::getId).isEqualTo(List.of("sales"));
    }
}
