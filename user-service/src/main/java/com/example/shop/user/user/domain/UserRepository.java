package com.example.shop.user.user.domain;

import java.util.Collection;

import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/** Users; the finders leave out deleted users (tombstones, see {@link User}). */
public interface UserRepository extends ReactiveCrudRepository<User, ObjectId> {

    Mono<User> findByIdAndDeletionIsNull(ObjectId id);

    Flux<User> findByIdInAndDeletionIsNull(Collection<ObjectId> ids);
}
