package com.example.shop.user;

/** The user-service contract on the embedded MongoDB wire-protocol server (in memory). */
class UserApiTest extends UserApiContract {
}
