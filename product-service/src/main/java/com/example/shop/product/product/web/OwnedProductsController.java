package com.example.shop.product.product.web;

import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.web.ApiException;
import com.example.shop.web.ObjectIds;
import com.example.shop.web.Paging;
import com.example.shop.web.QueryParameters;
import com.example.shop.web.filter.Filter;
import com.example.shop.product.product.domain.ProductService;

/**
 * {@code GET /products/owned?userId=a,b[&sort=price,desc][&skip=N][&limit=N][&<filters>]}: the reverse of a
 * product's {@code userId}, for the gateway's {@code populate=products}. One entry per owner asked, in the order
 * asked (an id given twice answers once), each with the owner's live products that pass the filters, in
 * {@code sort} order, then by id: the first {@code skip} (0–{@value #MAX_SKIP}, default 0) of each owner left
 * out, then at most {@code limit} (1–{@value #MAX_LIMIT}, default {@value #MAX_LIMIT}) per owner; with
 * {@code count=true} the number of those that pass the filters instead ({@code sort}, {@code skip} and
 * {@code limit} do not go with it). The filters are those of a page of products, read alike
 * ({@link ProductService#FILTERABLE}, {@code price=gte.100&title=prefix.La}); here a bare {@code userId} lists the
 * owners, and {@code userId=eq.<id>} or {@code userId=in.<id>,<id>} choose among them (an owner left out answers
 * an empty list, or 0). Public, as every read of products. The parameters are read raw ({@link QueryParameters}):
 * Spring would split {@code sort=price,desc}, read {@code count=yes} as true and take the first of two
 * {@code limit}s. The API document describes them ({@link OwnedProductsDocumentation}).
 */
@RestController
public class OwnedProductsController {

    /** The most products answered per owner, and the default. */
    public static final int MAX_LIMIT = 100;

    /**
     * The most products of each owner passed over before those answered: the store reads up to
     * {@code skip + limit} of each owner asked.
     */
    public static final int MAX_SKIP = 1000;

    /** The parameters of this list that are no filters. */
    static final Set<String> PARAMETERS = Set.of(Paging.SORT, "skip", "limit", "count");

    private static final String OWNERS = "userId";

    private final ProductService products;

    public OwnedProductsController(ProductService products) {
        this.products = products;
    }

    @GetMapping("/products/owned")
    @Parameter(name = OWNERS, in = ParameterIn.QUERY, required = true, description = "the owners' ids (24 lower-case "
            + "hex digits), comma-separated or repeated, at most " + ProductController.MAX_BATCH + "; userId=eq.<id> "
            + "or userId=in.<id>,<id> (repeatable) keep the owners named (the others answer no products, or 0)",
            array = @ArraySchema(schema = @Schema(type = "string")))
    @Parameter(name = Paging.SORT, in = ParameterIn.QUERY, description = "field[,asc|desc] (title, price), repeated "
            + "for further keys; ties are ordered by id; not with count=true",
            array = @ArraySchema(schema = @Schema(type = "string")))
    @Parameter(name = "skip", in = ParameterIn.QUERY, description = "products of each owner passed over before those "
            + "answered; not with count=true", schema = @Schema(type = "integer", format = "int32", defaultValue = "0",
                    minimum = "0", maximum = "" + MAX_SKIP))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "the most products answered per owner; not with "
            + "count=true", schema = @Schema(type = "integer", format = "int32", defaultValue = "" + MAX_LIMIT,
                    minimum = "1", maximum = "" + MAX_LIMIT))
    @Parameter(name = "count", in = ParameterIn.QUERY, description = "true: each owner's number of products that pass "
            + "the filters instead of the products", schema = @Schema(type = "boolean", defaultValue = "false"))
    public Flux<OwnersProducts> owned(ServerWebExchange exchange) {
        MultiValueMap<String, String> params = exchange.getRequest().getQueryParams();
        return Flux.defer(() -> {
            // a bare userId lists the owners; userId with an operator (an id has no dot) is a filter
            MultiValueMap<String, String> owned = new LinkedMultiValueMap<>();
            MultiValueMap<String, String> filtered = new LinkedMultiValueMap<>(params);
            filtered.remove(OWNERS);
            for (String value : params.getOrDefault(OWNERS, List.of())) {
                (value != null && value.indexOf('.') >= 0 ? filtered : owned).add(OWNERS, value);
            }
            List<ObjectId> owners = ObjectIds.parseList(OWNERS, QueryParameters.list(owned, OWNERS),
                    ProductController.MAX_BATCH);
            if (owners.isEmpty()) {
                throw ApiException.badRequest(OWNERS, "is required: the owners' ids, comma-separated");
            }
            boolean count = count(QueryParameters.single(params, "count"));
            if (count) {
                for (String option : List.of(Paging.SORT, "skip", "limit")) {
                    if (params.containsKey(option)) {
                        throw ApiException.badRequest(option, "does not go with count=true, which counts every product "
                                + "that passes the filters");
                    }
                }
            }
            Sort sort = Paging.sort(params, ProductService.SORTABLE);
            int skip = QueryParameters.integer(params, "skip", 0, 0, MAX_SKIP);
            int limit = QueryParameters.integer(params, "limit", MAX_LIMIT, 1, MAX_LIMIT);
            List<Filter> filters = ProductService.FILTERABLE.parse(filtered, PARAMETERS);
            if (count) {
                return products.countsOf(owners, filters).flatMapIterable(counts -> owners.stream()
                        .map(owner -> OwnersProducts.counted(owner, counts.getOrDefault(owner, 0L))).toList());
            }
            return products.productsOf(owners, filters, sort, skip, limit).flatMapIterable(byOwner -> owners.stream()
                    .map(owner -> OwnersProducts.listed(owner, byOwner.get(owner))).toList());
        });
    }

    /** {@code count}: {@code true} or {@code false}, nothing else; absent is false. */
    private static boolean count(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("count", "must be true or false");
    }
}
