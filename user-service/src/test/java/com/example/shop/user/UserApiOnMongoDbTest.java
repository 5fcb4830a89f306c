package com.example.shop.user;

import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/** The same contract on a real MongoDB 8 (Testcontainers); skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
@Import(TestcontainersConfiguration.class)
class UserApiOnMongoDbTest extends UserApiContract {
}
