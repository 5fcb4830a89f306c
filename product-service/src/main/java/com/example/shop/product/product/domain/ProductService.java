package com.example.shop.product.product.domain;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

import com.example.shop.common.web.ApiException;
import com.example.shop.product.user.UserClient;

/**
 * Products, each write one atomic single-document operation. A deleted product keeps its document as a
 * tombstone until {@link ProductCleanup} has taken it out of every cart; every read and write here
 * ignores tombstones, so a deleted product is a 404 at once.
 */
@Service
public class ProductService {

    /** Fields a page of products may be sorted on. */
    public static final Set<String> SORTABLE = Set.of("title", "price");

    private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

    private final ReactiveMongoTemplate mongo;

    private final UserClient users;

    private final Clock clock;

    public ProductService(ReactiveMongoTemplate mongo, UserClient users, Clock clock) {
        this.mongo = mongo;
        this.users = users;
        this.clock = clock;
    }

    /** Stores the product once user-service confirms its owner: 422 if the owner is missing, 503 if it cannot say. */
    public Mono<Product> create(Product product) {
        return users.requireExists(product.userId())
                .then(Mono.defer(() -> mongo.insert(product)));
    }

    public Mono<Product> get(ObjectId id) {
        return mongo.findOne(Query.query(live(id)), Product.class)
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** The products among {@code ids} that exist, in one {@code $in} query. */
    public Flux<Product> findAll(List<ObjectId> ids) {
        return ids.isEmpty() ? Flux.empty()
                : mongo.find(Query.query(notDeleted().and("_id").in(ids)), Product.class);
    }

    /** One page of products, of the given owners only when {@code userIds} is not empty. */
    public Mono<Page<Product>> page(Pageable pageable, List<ObjectId> userIds) {
        Criteria criteria = notDeleted();
        if (!userIds.isEmpty()) {
            criteria = criteria.and("userId").in(userIds);
        }
        return mongo.find(Query.query(criteria).with(pageable), Product.class).collectList()
                .zipWith(mongo.count(Query.query(criteria), Product.class))
                .map(t -> new PageImpl<>(t.getT1(), pageable, t.getT2()));
    }

    /** Sets the given fields in one guarded update; a new owner must exist in user-service first. */
    public Mono<Product> update(ObjectId id, ProductChanges changes) {
        if (changes.isEmpty()) {
            return Mono.error(ApiException.badRequest("body",
                    "give at least one of: title, imageUrl, price, description, userId"));
        }
        Update update = new Update();
        setIfGiven(update, "title", changes.title());
        setIfGiven(update, "imageUrl", changes.imageUrl());
        setIfGiven(update, "price", changes.price() == null ? null : new Decimal128(changes.price()));
        setIfGiven(update, "description", changes.description());
        setIfGiven(update, "userId", changes.userId());
        Mono<Void> ownerCheck = changes.userId() == null ? Mono.empty()
                : get(id).then(users.requireExists(changes.userId()));
        return ownerCheck
                .then(Mono.defer(() -> mongo.findAndModify(Query.query(live(id)), update, RETURN_NEW, Product.class)))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * Deletes in one write that leaves a tombstone: from then on the product is a 404, and the cleanup
     * owed to the carts is on record, whatever happens to this process or to user-service.
     */
    public Mono<Void> delete(ObjectId id) {
        Update tombstone = new Update().set("deletion", Deletion.pending(clock.instant()));
        return mongo.findAndModify(Query.query(live(id)), tombstone, Product.class)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .then();
    }

    /** Not deleted: no tombstone. */
    static Criteria notDeleted() {
        return Criteria.where("deletion").is(null);
    }

    private static Criteria live(ObjectId id) {
        return notDeleted().and("_id").is(id);
    }

    private static void setIfGiven(Update update, String field, Object value) {
        if (value != null) {
            update.set(field, value);
        }
    }

    private static ApiException notFound(ObjectId id) {
        return ApiException.notFound("product", id);
    }
}
