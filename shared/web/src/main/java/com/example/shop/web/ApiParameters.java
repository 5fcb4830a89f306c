package com.example.shop.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The API document's description of the query parameters that the controllers read themselves
 * ({@link QueryParameters}, {@link Paging}, {@link ObjectIds#parseList}) rather than through Spring's binding.
 */
public final class ApiParameters {

    /** What a batch lookup ({@link Ids}) takes: its ids, and nothing else. */
    public static final Set<String> IDS_ONLY = Set.of("ids");

    private ApiParameters() {
    }

    /** {@code page}, {@code size} and {@code sort} of a paged read ({@link Paging}). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @Parameter(name = Paging.PAGE, in = ParameterIn.QUERY, description = "page number, from 0",
            schema = @Schema(type = "integer", format = "int32", defaultValue = "0", minimum = "0",
                    maximum = "" + Paging.MAX_PAGE))
    @Parameter(name = Paging.SIZE, in = ParameterIn.QUERY, description = "documents per page",
            schema = @Schema(type = "integer", format = "int32", defaultValue = "" + Paging.DEFAULT_SIZE, minimum = "1",
                    maximum = "" + Paging.MAX_SIZE))
    @Parameter(name = Paging.SORT, in = ParameterIn.QUERY,
            description = "field[,asc|desc], repeated for further keys; ties are ordered by id",
            array = @ArraySchema(schema = @Schema(type = "string")))
    public @interface Page {
    }

    /** {@code ids} of a batch lookup ({@link ObjectIds#parseList}). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @Parameter(name = "ids", in = ParameterIn.QUERY, required = true,
            description = "ids (24 lower-case hex digits), comma-separated or repeated; at most 100",
            array = @ArraySchema(schema = @Schema(type = "string")))
    public @interface Ids {
    }
}
