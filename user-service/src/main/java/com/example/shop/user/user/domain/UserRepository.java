package com.example.shop.user.user.domain;

import org.bson.types.ObjectId;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

public interface UserRepository extends ReactiveCrudRepository<User, ObjectId> {
}
