package com.example.shop.product.product.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.example.shop.deletion.Deletion;
import com.example.shop.store.FilterQueries;
import com.example.shop.web.ApiException;
import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterableField;
import com.example.shop.web.filter.FilterableFields;
import com.example.shop.web.filter.MatchingIds;
import com.example.shop.product.user.UserClient;
import com.example.shop.remote.RemoteExistence;

/**
 * Products, each write one atomic single-document operation. A deleted product keeps its document as a
 * tombstone until {@link ProductCleanup} has taken it out of every cart; every read and write here
 * ignores tombstones, so a deleted product is a 404 at once.
 * <p>
 * A product belongs to the user who created it, and only that user changes or deletes it. The owner is
 * part of each write's filter ({@code _id}, no tombstone, {@code userId} = the caller), so the check and
 * the write are one atomic operation; only when nothing matched does one read tell a missing product
 * (404) from someone else's (403). Ownership cannot be given away: {@code userId} in a change may only
 * name the caller (a no-op).
 * <p>
 * A token can outlive its user, and a deleted user's token changes nothing: every write first asks
 * user-service whether the caller still exists (a create answers 422 naming {@code userId} if not, a
 * change or delete 403; 503 when user-service cannot say), and deleting a user tombstones all of its
 * products ({@link #deleteAllOf}).
 */
@Service
public class ProductService {

    /** Fields a page of products, and the products of owners ({@link #productsOf}), may be sorted on. */
    public static final Set<String> SORTABLE = Set.of("title", "price");

    /**
     * Fields a page of products may be filtered on ({@code price=gte.100}): every one of them is public, and
     * indexed ({@link Product}).
     */
    public static final FilterableFields FILTERABLE = FilterableFields.of(
            FilterableField.string("title", Product.MAX_TITLE), FilterableField.decimal("price"),
            FilterableField.id("userId"));

    /** The field that names a product's owner, by which the products of owners are listed. */
    private static final String OWNER = "userId";

    private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

    private final ReactiveMongoTemplate mongo;

    private final UserClient users;

    private final Clock clock;

    public ProductService(ReactiveMongoTemplate mongo, UserClient users, Clock clock) {
        this.mongo = mongo;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Stores a product owned by {@code caller}. {@code draft.userId()} is what the request named: null
     * (the caller), the caller, or someone else (403 naming {@code userId}, nothing stored). user-service
     * must still know the caller (a token can outlive its user): 422 naming {@code userId} if it does
     * not, 503 if it cannot say; nothing is stored then either.
     */
    public Mono<Product> create(Product draft, ObjectId caller) {
        if (draft.userId() != null && !draft.userId().equals(caller)) {
            return Mono.error(ApiException.forbidden("userId", "a product is created for the signed-in user; userId may only name " + caller));
        }
        Product product = new Product(null, draft.title(), draft.imageUrl(), draft.price(), draft.description(),
                caller, null);
        return users.requireExists(caller)
                .then(Mono.defer(() -> mongo.insert(product)))
                .flatMap(stored -> unlessOwnerDeletedMeanwhile(stored, caller));
    }

    /**
     * The owner check and the insert are two steps: should user-service delete the owner, and
     * product-service all the owner's products ({@link #deleteAllOf}), between them, the new product would
     * outlive its owner. {@code deleteAllOf} records the owner before it deletes, and this reads the record
     * after the insert: either the deletion's update sees the new product, or this sees the record, deletes
     * the product and answers as if the owner check had said no.
     */
    private Mono<Product> unlessOwnerDeletedMeanwhile(Product stored, ObjectId owner) {
        return mongo.exists(Query.query(Criteria.where("_id").is(owner)), DeletedOwner.class)
                .flatMap(deleted -> !deleted ? Mono.just(stored)
                        : mongo.updateFirst(Query.query(live(stored.id())), tombstone(), Product.class)
                                .then(Mono.error(UserClient.noSuchUser(owner))));
    }

    public Mono<Product> get(ObjectId id) {
        return mongo.findOne(Query.query(live(id)), Product.class)
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * The products among {@code ids} that exist, in one {@code $in} query, as stored documents (the fields of
     * {@link Product}; see {@link #asStored}).
     */
    public Flux<Document> findAll(List<ObjectId> ids) {
        return ids.isEmpty() ? Flux.empty() : asStored(Query.query(Deletion.notDeleted().and("_id").in(ids)));
    }

    /**
     * One page of the live products that pass every one of {@code filters} (on {@link #FILTERABLE}), as stored
     * documents ({@link #asStored}), and how many there are: the same query for both, so the total is exact.
     */
    public Mono<Page<Document>> page(Pageable pageable, List<Filter> filters) {
        return asStored(FilterQueries.query(Deletion.notDeleted(), filters).with(pageable)).collectList()
                .zipWith(mongo.count(FilterQueries.query(Deletion.notDeleted(), filters), Product.class))
                .map(t -> new PageImpl<>(t.getT1(), pageable, t.getT2()));
    }

    /**
     * The distinct values of {@code request}'s id field ({@code userId}: the owners; or {@code id}) among the live
     * products that pass every one of its filters (on {@link #FILTERABLE}), at most its limit: the gateway's filters
     * through a user's list of products ({@code /api/users?products.price=gte.100}).
     */
    public Flux<ObjectId> matchingIds(MatchingIds request) {
        return FilterQueries.distinctIds(mongo, Product.class, Deletion.notDeleted(), request.filters(),
                request.of().storedAs(), request.limit());
    }

    /**
     * The products {@code query} finds, as the store's documents: the query is mapped as for {@link Product}
     * (field names, {@code price} as {@code Decimal128}), but the documents are not mapped to {@link Product}
     * records, since the hot reads only turn them into answers ({@code ProductResponse.of(Document)}): the
     * generic entity mapping took ~7 % of a page's CPU, three times what writing its JSON takes. A live
     * product's document holds only what its answer shows (no tombstone), so no projection is asked for.
     */
    private Flux<Document> asStored(Query query) {
        return mongo.query(Product.class).as(Document.class).matching(query).all();
    }

    /**
     * The live products of each of {@code owners} that pass every one of {@code filters} (on {@link #FILTERABLE}),
     * in {@code sort} order (which ends with {@code _id}, as {@code Paging} makes it): the first {@code skip} of
     * each owner left out, then at most {@code limit} each. One {@code $in} query, read as a stream and cut per
     * owner, so that no more than {@code limit} products of an owner are ever held and no more than
     * {@code skip + limit} of an owner read; the cursor is closed as soon as every owner has had
     * {@code skip + limit}. Filters on {@code userId} choose among the owners ({@link #ownersPassing}). Every
     * owner is a key of the answer, in the order given (an owner without such products: an empty list).
     */
    public Mono<Map<ObjectId, List<Product>>> productsOf(List<ObjectId> owners, List<Filter> filters, Sort sort,
            int skip, int limit) {
        List<ObjectId> asked = ownersPassing(owners, filters);
        return Mono.defer(() -> {
            Shelves shelves = new Shelves(asked, skip, limit);
            Mono<Void> read = asked.isEmpty() ? Mono.empty()
                    : mongo.find(ofOwners(asked, filters).with(sort), Product.class)
                            .takeUntil(shelves::addAndCheckFull)
                            .then();
            return read.then(Mono.fromSupplier(() -> shelves.of(owners)));
        });
    }

    /**
     * How many live products each of {@code owners} has that pass every one of {@code filters}, by one
     * aggregation ({@code $match} on {@code userId $in} and the filters, {@code $group} by {@code userId} with
     * {@code $sum}): no product is read. An owner without such products is not a key of the answer.
     */
    public Mono<Map<ObjectId, Long>> countsOf(List<ObjectId> owners, List<Filter> filters) {
        List<ObjectId> asked = ownersPassing(owners, filters);
        if (asked.isEmpty()) {
            return Mono.just(Map.of());
        }
        Aggregation count = Aggregation.newAggregation(
                Aggregation.stage(new Document("$match", ofOwners(asked, filters).getQueryObject())),
                Aggregation.group("userId").count().as("count"));
        return mongo.aggregate(count, Product.class, Document.class)
                .collectMap(group -> group.getObjectId("_id"), group -> group.get("count", Number.class).longValue());
    }

    /** The live products of {@code owners} that pass the filters on other fields than {@code userId}. */
    private static Query ofOwners(List<ObjectId> owners, List<Filter> filters) {
        return FilterQueries.query(Deletion.notDeleted().and(OWNER).in(owners),
                filters.stream().filter(filter -> !filter.field().name().equals(OWNER)).toList());
    }

    /**
     * The owners that pass every filter on {@code userId} ({@code eq} or {@code in}, the operators of an id): a
     * product passes such a filter exactly when its owner does, so these filters choose owners, and the others are
     * asked nothing.
     */
    private static List<ObjectId> ownersPassing(List<ObjectId> owners, List<Filter> filters) {
        List<Filter> onOwner = filters.stream().filter(filter -> filter.field().name().equals(OWNER)).toList();
        return owners.stream().filter(owner -> onOwner.stream().allMatch(filter -> switch (filter.operator()) {
            case EQ, IN -> filter.values().contains(owner);
            default -> throw new IllegalArgumentException("an id is filtered with eq or in, not " + filter.operator());
        })).toList();
    }

    /**
     * Each owner's products as they stream in: the first {@code skip} of an owner passed over, then up to
     * {@code limit} kept; later ones of a full owner are dropped.
     */
    private static final class Shelves {

        private final Map<ObjectId, List<Product>> byOwner = new LinkedHashMap<>();

        private final Map<ObjectId, Integer> skipped = new HashMap<>();

        private final int skip;

        private final int limit;

        private int full;

        Shelves(List<ObjectId> owners, int skip, int limit) {
            owners.forEach(owner -> byOwner.put(owner, new ArrayList<>()));
            this.skip = skip;
            this.limit = limit;
        }

        /** Passes over or shelves {@code product} if its owner has room; true once every owner has {@code limit}. */
        boolean addAndCheckFull(Product product) {
            List<Product> shelf = byOwner.get(product.userId());
            if (shelf == null || shelf.size() == limit) {
                return full == byOwner.size();
            }
            int passed = skipped.getOrDefault(product.userId(), 0);
            if (passed < skip) {
                skipped.put(product.userId(), passed + 1);
                return false;
            }
            shelf.add(product);
            if (shelf.size() == limit) {
                full++;
            }
            return full == byOwner.size();
        }

        /** The shelf of each of {@code owners}, in their order: an empty one for an owner not asked. */
        Map<ObjectId, List<Product>> of(List<ObjectId> owners) {
            Map<ObjectId, List<Product>> shelves = new LinkedHashMap<>();
            owners.forEach(owner -> shelves.put(owner, byOwner.getOrDefault(owner, List.of())));
            return shelves;
        }
    }

    /**
     * Sets the given fields in one update guarded by the owner: 404 if there is no such product, 403 if
     * it is not the caller's. {@code userId} may only name the caller (setting it is then a no-op): any
     * other value is a 403, since ownership cannot be given away. The caller must still exist in
     * user-service (403 if not, 503 if it cannot say; nothing is written then).
     */
    public Mono<Product> update(ObjectId id, ProductChanges changes, ObjectId caller) {
        if (changes.isEmpty()) {
            return Mono.error(ApiException.badRequest("body",
                    "give at least one of: title, imageUrl, price, description, userId"));
        }
        if (changes.userId() != null && !changes.userId().equals(caller)) {
            // 404 before 403 here too: one read, and nothing is written.
            return get(id).then(Mono.error(() -> ApiException.forbidden("userId", "ownership cannot be given away; userId may only name "
                    + caller + ", the owner")));
        }
        Update update = new Update();
        setIfGiven(update, "title", changes.title());
        setIfGiven(update, "imageUrl", changes.imageUrl());
        setIfGiven(update, "price", changes.price() == null ? null : new Decimal128(changes.price()));
        setIfGiven(update, "description", changes.description());
        setIfGiven(update, "userId", changes.userId());
        return requireCallerExists(caller)
                .then(Mono.defer(() -> mongo.findAndModify(Query.query(ownedBy(id, caller)), update, RETURN_NEW, Product.class)))
                .switchIfEmpty(Mono.defer(() -> whyNotWritten(id, caller, "change")));
    }

    /**
     * Deletes in one write that leaves a tombstone: from then on the product is a 404, and the cleanup
     * owed to the carts is on record, whatever happens to this process or to user-service. The write is
     * guarded by the owner: 404 if there is no such product, 403 if it is not the caller's. The caller
     * must still exist in user-service, as for {@link #update}.
     */
    public Mono<Void> delete(ObjectId id, ObjectId caller) {
        return requireCallerExists(caller)
                .then(Mono.defer(() -> mongo.findAndModify(Query.query(ownedBy(id, caller)), tombstone(), Product.class)))
                .switchIfEmpty(Mono.defer(() -> whyNotWritten(id, caller, "delete")))
                .then();
    }

    /**
     * Deletes every product of a deleted user, each as {@link #delete} does (a tombstone, so they are 404
     * at once and leave every cart through {@link ProductCleanup}), in one multi-document update, after
     * recording the user as a {@link DeletedOwner} (for a create that races with it). Idempotent:
     * products already deleted are left as they are. Returns how many were deleted now.
     */
    public Mono<Long> deleteAllOf(ObjectId owner) {
        Query user = Query.query(Criteria.where("_id").is(owner));
        return mongo.upsert(user, new Update().setOnInsert("at", clock.instant()), DeletedOwner.class)
                .then(mongo.updateMulti(Query.query(Deletion.notDeleted().and("userId").is(owner)), tombstone(),
                        Product.class))
                .map(result -> result.getModifiedCount());
    }

    private Update tombstone() {
        return new Update().set(Deletion.FIELD, Deletion.pending(clock.instant()));
    }

    /**
     * Completes when user-service still knows the caller; a 403 when it does not (the token outlived its
     * user), a 503 when it cannot say. Nothing is written before it completes.
     */
    private Mono<Void> requireCallerExists(ObjectId caller) {
        return RemoteExistence.require(users.exists(caller),
                () -> ApiException.forbidden("user " + caller + " no longer exists; its token changes nothing"));
    }

    /**
     * Why a write guarded by {@link #ownedBy} matched nothing, from one read: no live product (404), or
     * someone else's (403). A live product of the caller's cannot be the reason, since its owner never
     * changes; should it be (the document was edited behind the API's back), the answer is a 409.
     */
    private Mono<Product> whyNotWritten(ObjectId id, ObjectId caller, String action) {
        return get(id).flatMap(product -> Mono.error(caller.equals(product.userId())
                ? new ApiException(HttpStatus.CONFLICT, "product " + id + " changed while it was being written; try again")
                : ApiException.forbidden("only the owner of product " + id + " may " + action + " it")));
    }

    private static Criteria live(ObjectId id) {
        return Deletion.notDeleted().and("_id").is(id);
    }

    /** The product {@code id}, not deleted, and owned by {@code owner}: the guard of every change. */
    private static Criteria ownedBy(ObjectId id, ObjectId owner) {
        return live(id).and("userId").is(owner);
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
