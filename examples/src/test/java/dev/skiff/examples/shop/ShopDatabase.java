package dev.skiff.examples.shop;

import dev.skiff.junit.Lifecycle;
import dev.skiff.junit.Postgres;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shop's database, one for the whole test run: every class annotated with it shares the same PostgreSQL
 * container, so tests add products under ids of their own ({@link ProductIds}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Postgres(version = "15", initScripts = "db/schema.sql", lifecycle = Lifecycle.PER_SUITE)
@interface ShopDatabase {}
