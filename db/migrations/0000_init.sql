CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`name` text NOT NULL,
	`broker` text NOT NULL,
	`broker_account_ref` text,
	`base_currency` text DEFAULT 'USD' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`starting_balance` integer DEFAULT 0 NOT NULL,
	`lot_matching` text DEFAULT 'fifo' NOT NULL,
	`is_archived` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "accounts_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "accounts_broker_not_blank" CHECK(length(trim("broker")) > 0),
	CONSTRAINT "accounts_base_currency_code" CHECK(length("base_currency") BETWEEN 2 AND 12 AND "base_currency" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "accounts_timezone_not_blank" CHECK(length(trim("timezone")) > 0),
	CONSTRAINT "accounts_lot_matching_enum" CHECK("lot_matching" IN ('fifo', 'lifo', 'average')),
	CONSTRAINT "accounts_is_archived_bool" CHECK("is_archived" IN (0, 1)),
	CONSTRAINT "accounts_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `accounts_user_idx` ON `accounts` (`user_id`);--> statement-breakpoint
CREATE TABLE `cash_transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`description` text,
	`import_batch_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "cash_transactions_kind_enum" CHECK("kind" IN ('deposit', 'withdrawal', 'dividend', 'interest', 'fee', 'adjustment')),
	CONSTRAINT "cash_transactions_amount_sign" CHECK(("kind" = 'deposit' AND "amount" > 0)
        OR ("kind" = 'withdrawal' AND "amount" < 0)
        OR ("kind" NOT IN ('deposit', 'withdrawal') AND "amount" <> 0)),
	CONSTRAINT "cash_transactions_currency_code" CHECK(length("currency") BETWEEN 2 AND 12 AND "currency" NOT GLOB '*[^A-Z0-9]*')
);
--> statement-breakpoint
CREATE INDEX `cash_transactions_account_idx` ON `cash_transactions` (`account_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `cash_transactions_import_batch_idx` ON `cash_transactions` (`import_batch_id`) WHERE "import_batch_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `exchange_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`label` text,
	`credentials_encrypted` blob,
	`status` text DEFAULT 'disconnected' NOT NULL,
	`last_error` text,
	`last_synced_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "exchange_connections_provider_not_blank" CHECK(length(trim("provider")) > 0),
	CONSTRAINT "exchange_connections_status_enum" CHECK("status" IN ('disconnected', 'connected', 'error', 'disabled'))
);
--> statement-breakpoint
CREATE INDEX `exchange_connections_account_idx` ON `exchange_connections` (`account_id`);--> statement-breakpoint
CREATE TABLE `company_info` (
	`id` text PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`sector` text,
	`industry` text,
	`country` text,
	`currency` text,
	`website` text,
	`employees` integer,
	`ipo_date` text,
	`fiscal_year_end` text,
	`data_source` text NOT NULL,
	`fetched_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "company_info_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "company_info_country_code" CHECK("country" GLOB '[A-Z][A-Z]'),
	CONSTRAINT "company_info_currency_code" CHECK(length("currency") BETWEEN 2 AND 12 AND "currency" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "company_info_employees_non_negative" CHECK("employees" >= 0),
	CONSTRAINT "company_info_ipo_date_date" CHECK(date("ipo_date") IS "ipo_date"),
	CONSTRAINT "company_info_fiscal_year_end_mm_dd" CHECK("fiscal_year_end" GLOB '[01][0-9]-[0-3][0-9]'),
	CONSTRAINT "company_info_data_source_not_blank" CHECK(length(trim("data_source")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `company_info_instrument_unique` ON `company_info` (`instrument_id`) WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `company_info_sector_idx` ON `company_info` (`sector`,`industry`);--> statement-breakpoint
CREATE TABLE `institutional_holders` (
	`id` text PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`holder_name` text NOT NULL,
	`shares` integer NOT NULL,
	`value` integer,
	`percent_held` integer,
	`change_shares` integer,
	`reported_date` text NOT NULL,
	`data_source` text NOT NULL,
	`fetched_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "institutional_holders_holder_name_not_blank" CHECK(length(trim("holder_name")) > 0),
	CONSTRAINT "institutional_holders_shares_non_negative" CHECK("shares" >= 0),
	CONSTRAINT "institutional_holders_value_non_negative" CHECK("value" >= 0),
	CONSTRAINT "institutional_holders_percent_held_range" CHECK("percent_held" BETWEEN 0 AND 10000000000),
	CONSTRAINT "institutional_holders_reported_date_date" CHECK(date("reported_date") IS "reported_date"),
	CONSTRAINT "institutional_holders_data_source_not_blank" CHECK(length(trim("data_source")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `institutional_holders_holding_unique` ON `institutional_holders` (`instrument_id`,`reported_date`,`holder_name`,`data_source`);--> statement-breakpoint
CREATE TABLE `key_statistics` (
	`id` text PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`as_of` text NOT NULL,
	`market_cap` integer,
	`enterprise_value` integer,
	`pe_ratio` integer,
	`forward_pe` integer,
	`peg_ratio` integer,
	`price_to_book` integer,
	`price_to_sales` integer,
	`eps` integer,
	`dividend_yield` integer,
	`beta` integer,
	`shares_outstanding` integer,
	`float_shares` integer,
	`short_interest` integer,
	`average_volume` integer,
	`fifty_two_week_high` integer,
	`fifty_two_week_low` integer,
	`data_source` text NOT NULL,
	`fetched_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "key_statistics_as_of_date" CHECK(date("as_of") IS "as_of"),
	CONSTRAINT "key_statistics_counts_non_negative" CHECK("market_cap" >= 0 AND "shares_outstanding" >= 0 AND "float_shares" >= 0
        AND "short_interest" >= 0 AND "average_volume" >= 0),
	CONSTRAINT "key_statistics_52w_range_ordered" CHECK("fifty_two_week_high" >= "fifty_two_week_low"),
	CONSTRAINT "key_statistics_data_source_not_blank" CHECK(length(trim("data_source")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `key_statistics_instrument_as_of_unique` ON `key_statistics` (`instrument_id`,`as_of`,`data_source`);--> statement-breakpoint
CREATE TABLE `instruments` (
	`id` text PRIMARY KEY NOT NULL,
	`symbol` text NOT NULL,
	`exchange` text,
	`asset_class` text NOT NULL,
	`identity_key` text NOT NULL,
	`base_currency` text,
	`quote_currency` text DEFAULT 'USD' NOT NULL,
	`multiplier` integer DEFAULT 100000000 NOT NULL,
	`multiplier_known` integer DEFAULT true NOT NULL,
	`tick_size` integer,
	`lot_size` integer,
	`price_precision` integer,
	`quantity_precision` integer,
	`underlying_symbol` text,
	`expiry` text,
	`strike` integer,
	`put_call` text,
	`status` text DEFAULT 'active' NOT NULL,
	`delisted_at` integer,
	`name` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "instruments_identity_key_matches" CHECK("identity_key" = json_array("symbol", "exchange", "asset_class", "expiry", "strike", "put_call")),
	CONSTRAINT "instruments_symbol_trimmed" CHECK(length("symbol") > 0 AND "symbol" = trim("symbol")),
	CONSTRAINT "instruments_asset_class_enum" CHECK("asset_class" IN ('stock', 'option', 'future', 'forex', 'crypto', 'cfd', 'bond', 'fund', 'index')),
	CONSTRAINT "instruments_base_currency_code" CHECK(length("base_currency") BETWEEN 2 AND 12 AND "base_currency" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "instruments_quote_currency_code" CHECK(length("quote_currency") BETWEEN 2 AND 12 AND "quote_currency" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "instruments_multiplier_positive" CHECK("multiplier" > 0),
	CONSTRAINT "instruments_multiplier_known_bool" CHECK("multiplier_known" IN (0, 1)),
	CONSTRAINT "instruments_tick_size_positive" CHECK("tick_size" > 0),
	CONSTRAINT "instruments_lot_size_positive" CHECK("lot_size" > 0),
	CONSTRAINT "instruments_price_precision_range" CHECK("price_precision" BETWEEN 0 AND 8),
	CONSTRAINT "instruments_quantity_precision_range" CHECK("quantity_precision" BETWEEN 0 AND 8),
	CONSTRAINT "instruments_expiry_date" CHECK(date("expiry") IS "expiry"),
	CONSTRAINT "instruments_strike_positive" CHECK("strike" > 0),
	CONSTRAINT "instruments_put_call_enum" CHECK("put_call" IN ('put', 'call')),
	CONSTRAINT "instruments_option_fields" CHECK(CASE WHEN "asset_class" = 'option'
        THEN "underlying_symbol" IS NOT NULL AND "expiry" IS NOT NULL
          AND "strike" IS NOT NULL AND "put_call" IS NOT NULL
        ELSE "strike" IS NULL AND "put_call" IS NULL END),
	CONSTRAINT "instruments_status_enum" CHECK("status" IN ('active', 'halted', 'expired', 'delisted')),
	CONSTRAINT "instruments_delisted_at_iff_delisted" CHECK(("status" = 'delisted') = ("delisted_at" IS NOT NULL)),
	CONSTRAINT "instruments_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `instruments_identity_unique` ON `instruments` (`identity_key`) WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `instruments_symbol_idx` ON `instruments` (`symbol`);--> statement-breakpoint
CREATE INDEX `instruments_underlying_idx` ON `instruments` (`underlying_symbol`,`expiry`) WHERE "underlying_symbol" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`note_id` text,
	`position_id` text,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`bytes` blob,
	`path` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`note_id`) REFERENCES `notes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "attachments_exactly_one_target" CHECK(("note_id" IS NOT NULL) + ("position_id" IS NOT NULL) = 1),
	CONSTRAINT "attachments_bytes_or_path" CHECK(("bytes" IS NOT NULL) + ("path" IS NOT NULL) = 1),
	CONSTRAINT "attachments_file_name_not_blank" CHECK(length(trim("file_name")) > 0),
	CONSTRAINT "attachments_mime_type_shape" CHECK("mime_type" LIKE '_%/_%'),
	CONSTRAINT "attachments_sha256_hex" CHECK(length("sha256") = 64 AND "sha256" NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "attachments_size_non_negative" CHECK("size_bytes" >= 0),
	CONSTRAINT "attachments_size_matches_bytes" CHECK("bytes" IS NULL OR length("bytes") = "size_bytes")
);
--> statement-breakpoint
CREATE INDEX `attachments_note_idx` ON `attachments` (`note_id`) WHERE "note_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `attachments_position_idx` ON `attachments` (`position_id`) WHERE "position_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`position_id` text,
	`account_id` text,
	`day` text,
	`title` text,
	`body` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notes_day_date" CHECK(date("day") IS "day"),
	CONSTRAINT "notes_exactly_one_target" CHECK(("position_id" IS NOT NULL AND "account_id" IS NULL AND "day" IS NULL)
        OR ("position_id" IS NULL AND "account_id" IS NOT NULL AND "day" IS NOT NULL)),
	CONSTRAINT "notes_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `notes_position_idx` ON `notes` (`position_id`) WHERE "position_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `notes_account_day_idx` ON `notes` (`account_id`,`day`) WHERE "account_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `position_tags` (
	`position_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	PRIMARY KEY(`position_id`, `tag_id`),
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `position_tags_tag_idx` ON `position_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text COLLATE NOCASE NOT NULL,
	`color` text,
	`description` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	CONSTRAINT "tags_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "tags_color_hex" CHECK("color" GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`) WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`old_data` text,
	`new_data` text,
	`changed_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	CONSTRAINT "audit_log_action_enum" CHECK("action" IN ('insert', 'update', 'delete')),
	CONSTRAINT "audit_log_old_data_json_object" CHECK(json_valid("old_data") AND json_type("old_data") = 'object'),
	CONSTRAINT "audit_log_new_data_json_object" CHECK(json_valid("new_data") AND json_type("new_data") = 'object'),
	CONSTRAINT "audit_log_data_matches_action" CHECK(CASE "action"
        WHEN 'insert' THEN "old_data" IS NULL AND "new_data" IS NOT NULL
        WHEN 'update' THEN "old_data" IS NOT NULL AND "new_data" IS NOT NULL
        ELSE "old_data" IS NOT NULL AND "new_data" IS NULL END)
);
--> statement-breakpoint
CREATE INDEX `audit_log_row_idx` ON `audit_log` (`table_name`,`row_id`,`changed_at`);--> statement-breakpoint
CREATE INDEX `audit_log_changed_idx` ON `audit_log` (`changed_at`);--> statement-breakpoint
CREATE TABLE `performance_logs` (
	`id` integer PRIMARY KEY NOT NULL,
	`level` text DEFAULT 'info' NOT NULL,
	`operation` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`rows` integer,
	`message` text,
	`context` text,
	`logged_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	CONSTRAINT "performance_logs_level_enum" CHECK("level" IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal')),
	CONSTRAINT "performance_logs_operation_not_blank" CHECK(length(trim("operation")) > 0),
	CONSTRAINT "performance_logs_duration_non_negative" CHECK("duration_ms" >= 0),
	CONSTRAINT "performance_logs_rows_non_negative" CHECK("rows" >= 0),
	CONSTRAINT "performance_logs_context_json" CHECK(json_valid("context"))
);
--> statement-breakpoint
CREATE INDEX `performance_logs_operation_logged_idx` ON `performance_logs` (`operation`,`logged_at`);--> statement-breakpoint
CREATE TABLE `system_logs` (
	`id` integer PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`source` text,
	`message` text NOT NULL,
	`context` text,
	`logged_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	CONSTRAINT "system_logs_level_enum" CHECK("level" IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal')),
	CONSTRAINT "system_logs_context_json" CHECK(json_valid("context"))
);
--> statement-breakpoint
CREATE INDEX `system_logs_logged_idx` ON `system_logs` (`logged_at`);--> statement-breakpoint
CREATE INDEX `system_logs_level_logged_idx` ON `system_logs` (`level`,`logged_at`);--> statement-breakpoint
CREATE TABLE `trading_logs` (
	`id` integer PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`event` text NOT NULL,
	`account_id` text,
	`message` text NOT NULL,
	`context` text,
	`logged_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "trading_logs_level_enum" CHECK("level" IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal')),
	CONSTRAINT "trading_logs_event_not_blank" CHECK(length(trim("event")) > 0),
	CONSTRAINT "trading_logs_context_json" CHECK(json_valid("context"))
);
--> statement-breakpoint
CREATE INDEX `trading_logs_logged_idx` ON `trading_logs` (`logged_at`);--> statement-breakpoint
CREATE INDEX `trading_logs_account_logged_idx` ON `trading_logs` (`account_id`,`logged_at`) WHERE "account_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `market_data` (
	`id` integer PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`timeframe` text NOT NULL,
	`timestamp` integer NOT NULL,
	`open` integer NOT NULL,
	`high` integer NOT NULL,
	`low` integer NOT NULL,
	`close` integer NOT NULL,
	`volume` integer DEFAULT 0 NOT NULL,
	`data_source` text NOT NULL,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "market_data_timeframe_enum" CHECK("timeframe" IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w')),
	CONSTRAINT "market_data_prices_positive" CHECK("open" > 0 AND "high" > 0 AND "low" > 0 AND "close" > 0),
	CONSTRAINT "market_data_high_gte_open_close" CHECK("high" >= max("open", "close")),
	CONSTRAINT "market_data_low_lte_open_close" CHECK("low" <= min("open", "close")),
	CONSTRAINT "market_data_high_gte_low" CHECK("high" >= "low"),
	CONSTRAINT "market_data_volume_non_negative" CHECK("volume" >= 0),
	CONSTRAINT "market_data_data_source_not_blank" CHECK(length(trim("data_source")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `market_data_candle_unique` ON `market_data` (`instrument_id`,`timeframe`,`timestamp`,`data_source`);--> statement-breakpoint
CREATE TABLE `order_book` (
	`id` integer PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`captured_at` integer NOT NULL,
	`side` text NOT NULL,
	`level` integer NOT NULL,
	`price` integer NOT NULL,
	`size` integer NOT NULL,
	`order_count` integer,
	`data_source` text NOT NULL,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "order_book_side_enum" CHECK("side" IN ('bid', 'ask')),
	CONSTRAINT "order_book_level_non_negative" CHECK("level" >= 0),
	CONSTRAINT "order_book_price_positive" CHECK("price" > 0),
	CONSTRAINT "order_book_size_non_negative" CHECK("size" >= 0),
	CONSTRAINT "order_book_order_count_non_negative" CHECK("order_count" >= 0),
	CONSTRAINT "order_book_data_source_not_blank" CHECK(length(trim("data_source")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `order_book_level_unique` ON `order_book` (`instrument_id`,`captured_at`,`data_source`,`side`,`level`);--> statement-breakpoint
CREATE TABLE `technical_indicators` (
	`id` integer PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`timeframe` text NOT NULL,
	`timestamp` integer NOT NULL,
	`indicator` text NOT NULL,
	`parameters` text DEFAULT '{}' NOT NULL,
	`value` integer,
	`outputs` text,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "technical_indicators_timeframe_enum" CHECK("timeframe" IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w')),
	CONSTRAINT "technical_indicators_indicator_not_blank" CHECK(length(trim("indicator")) > 0),
	CONSTRAINT "technical_indicators_parameters_json_object" CHECK(json_valid("parameters") AND json_type("parameters") = 'object'),
	CONSTRAINT "technical_indicators_parameters_minified" CHECK("parameters" = json("parameters")),
	CONSTRAINT "technical_indicators_outputs_json_object" CHECK(json_valid("outputs") AND json_type("outputs") = 'object'),
	CONSTRAINT "technical_indicators_has_value" CHECK("value" IS NOT NULL OR "outputs" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `technical_indicators_point_unique` ON `technical_indicators` (`instrument_id`,`timeframe`,`indicator`,`parameters`,`timestamp`);--> statement-breakpoint
CREATE TABLE `technical_indicators_latest` (
	`id` integer PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`timeframe` text NOT NULL,
	`indicator` text NOT NULL,
	`parameters` text DEFAULT '{}' NOT NULL,
	`timestamp` integer NOT NULL,
	`value` integer,
	`outputs` text,
	`computed_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "technical_indicators_latest_timeframe_enum" CHECK("timeframe" IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w')),
	CONSTRAINT "technical_indicators_latest_indicator_not_blank" CHECK(length(trim("indicator")) > 0),
	CONSTRAINT "technical_indicators_latest_parameters_json_object" CHECK(json_valid("parameters") AND json_type("parameters") = 'object'),
	CONSTRAINT "technical_indicators_latest_parameters_minified" CHECK("parameters" = json("parameters")),
	CONSTRAINT "technical_indicators_latest_outputs_json_object" CHECK(json_valid("outputs") AND json_type("outputs") = 'object'),
	CONSTRAINT "technical_indicators_latest_has_value" CHECK("value" IS NOT NULL OR "outputs" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `technical_indicators_latest_series_unique` ON `technical_indicators_latest` (`instrument_id`,`timeframe`,`indicator`,`parameters`);--> statement-breakpoint
CREATE TABLE `volume_profile` (
	`id` integer PRIMARY KEY NOT NULL,
	`instrument_id` text NOT NULL,
	`range_start` integer NOT NULL,
	`range_end` integer NOT NULL,
	`price_level` integer NOT NULL,
	`volume` integer NOT NULL,
	`buy_volume` integer,
	`sell_volume` integer,
	`data_source` text NOT NULL,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "volume_profile_range_ordered" CHECK("range_end" > "range_start"),
	CONSTRAINT "volume_profile_price_level_positive" CHECK("price_level" > 0),
	CONSTRAINT "volume_profile_volumes_non_negative" CHECK("volume" >= 0 AND "buy_volume" >= 0 AND "sell_volume" >= 0),
	CONSTRAINT "volume_profile_split_within_volume" CHECK(ifnull("buy_volume", 0) + ifnull("sell_volume", 0) <= "volume"),
	CONSTRAINT "volume_profile_data_source_not_blank" CHECK(length(trim("data_source")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volume_profile_level_unique` ON `volume_profile` (`instrument_id`,`range_start`,`range_end`,`data_source`,`price_level`);--> statement-breakpoint
CREATE TABLE `notification_configs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`channel` text NOT NULL,
	`event_type` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`secret_encrypted` blob,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notification_configs_channel_enum" CHECK("channel" IN ('in_app', 'desktop', 'email', 'webhook', 'telegram')),
	CONSTRAINT "notification_configs_event_type_enum" CHECK("event_type" IN ('risk_warning', 'risk_breach', 'import_finished', 'import_failed', 'position_closed', 'daily_summary', 'sync_failed', 'backup_failed')),
	CONSTRAINT "notification_configs_enabled_bool" CHECK("enabled" IN (0, 1)),
	CONSTRAINT "notification_configs_config_json_object" CHECK(json_valid("config") AND json_type("config") = 'object')
);
--> statement-breakpoint
CREATE INDEX `notification_configs_event_idx` ON `notification_configs` (`event_type`,`enabled`);--> statement-breakpoint
CREATE INDEX `notification_configs_account_idx` ON `notification_configs` (`account_id`) WHERE "account_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`notification_config_id` text,
	`event_type` text,
	`level` text DEFAULT 'info' NOT NULL,
	`title` text NOT NULL,
	`body` text,
	`payload` text,
	`read_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`notification_config_id`) REFERENCES `notification_configs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "notifications_event_type_enum" CHECK("event_type" IN ('risk_warning', 'risk_breach', 'import_finished', 'import_failed', 'position_closed', 'daily_summary', 'sync_failed', 'backup_failed')),
	CONSTRAINT "notifications_level_enum" CHECK("level" IN ('info', 'success', 'warning', 'error')),
	CONSTRAINT "notifications_payload_json_object" CHECK(json_valid("payload") AND json_type("payload") = 'object')
);
--> statement-breakpoint
CREATE INDEX `notifications_created_idx` ON `notifications` (`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`created_at`) WHERE "read_at" IS NULL AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `notifications_config_idx` ON `notifications` (`notification_config_id`) WHERE "notification_config_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `performance_metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`metric_name` text NOT NULL,
	`value` integer NOT NULL,
	`period` text NOT NULL,
	`period_start` text,
	`measured_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "performance_metrics_metric_name_not_blank" CHECK(length(trim("metric_name")) > 0),
	CONSTRAINT "performance_metrics_period_enum" CHECK("period" IN ('day', 'week', 'month', 'quarter', 'year', 'all')),
	CONSTRAINT "performance_metrics_period_start_date" CHECK(date("period_start") IS "period_start"),
	CONSTRAINT "performance_metrics_period_start_given" CHECK(("period" = 'all') = ("period_start" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `performance_metrics_name_measured_idx` ON `performance_metrics` (`metric_name`,`measured_at`);--> statement-breakpoint
CREATE INDEX `performance_metrics_account_idx` ON `performance_metrics` (`account_id`) WHERE "account_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `portfolio_summary` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`as_of` text NOT NULL,
	`equity` integer NOT NULL,
	`cash` integer NOT NULL,
	`open_positions` integer DEFAULT 0 NOT NULL,
	`unrealized_pnl` integer DEFAULT 0 NOT NULL,
	`realized_pnl` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "portfolio_summary_as_of_date" CHECK(date("as_of") IS "as_of"),
	CONSTRAINT "portfolio_summary_open_positions_non_negative" CHECK("open_positions" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portfolio_summary_account_as_of_unique` ON `portfolio_summary` (`account_id`,`as_of`);--> statement-breakpoint
CREATE TABLE `risk_events` (
	`id` text PRIMARY KEY NOT NULL,
	`risk_limit_id` text NOT NULL,
	`account_id` text NOT NULL,
	`position_id` text,
	`day` text NOT NULL,
	`severity` text NOT NULL,
	`breach_key` text NOT NULL,
	`observed_value` integer NOT NULL,
	`limit_value` integer NOT NULL,
	`message` text NOT NULL,
	`occurred_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`acknowledged_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`risk_limit_id`) REFERENCES `risk_limits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "risk_events_day_date" CHECK(date("day") IS "day"),
	CONSTRAINT "risk_events_severity_enum" CHECK("severity" IN ('info', 'warning', 'breach')),
	CONSTRAINT "risk_events_breach_key_not_blank" CHECK(length(trim("breach_key")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_events_limit_breach_key_unique` ON `risk_events` (`risk_limit_id`,`breach_key`);--> statement-breakpoint
CREATE INDEX `risk_events_account_day_idx` ON `risk_events` (`account_id`,`day`);--> statement-breakpoint
CREATE INDEX `risk_events_position_idx` ON `risk_events` (`position_id`) WHERE "position_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `risk_events_unacknowledged_idx` ON `risk_events` (`account_id`,`occurred_at`) WHERE "acknowledged_at" IS NULL AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `risk_limits` (
	`id` text PRIMARY KEY NOT NULL,
	`risk_profile_id` text NOT NULL,
	`limit_type` text NOT NULL,
	`value` integer NOT NULL,
	`unit` text NOT NULL,
	`warn_at_percent` integer,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`risk_profile_id`) REFERENCES `risk_profiles`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "risk_limits_limit_type_enum" CHECK("limit_type" IN ('daily_loss', 'max_loss_per_trade', 'max_drawdown', 'max_position_size', 'max_open_risk', 'max_trades_per_day', 'max_consecutive_losses')),
	CONSTRAINT "risk_limits_value_positive" CHECK("value" > 0),
	CONSTRAINT "risk_limits_unit_enum" CHECK("unit" IN ('absolute', 'percent_of_equity', 'count')),
	CONSTRAINT "risk_limits_count_unit_matches_type" CHECK(("limit_type" IN ('max_trades_per_day', 'max_consecutive_losses')) = ("unit" = 'count')),
	CONSTRAINT "risk_limits_count_is_whole" CHECK("unit" <> 'count' OR "value" % 100000000 = 0),
	CONSTRAINT "risk_limits_warn_at_percent_range" CHECK("warn_at_percent" BETWEEN 1 AND 99),
	CONSTRAINT "risk_limits_is_active_bool" CHECK("is_active" IN (0, 1)),
	CONSTRAINT "risk_limits_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_limits_profile_type_unit_unique` ON `risk_limits` (`risk_profile_id`,`limit_type`,`unit`) WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `risk_metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`date` text NOT NULL,
	`trades` integer DEFAULT 0 NOT NULL,
	`wins` integer DEFAULT 0 NOT NULL,
	`losses` integer DEFAULT 0 NOT NULL,
	`gross_pnl` integer DEFAULT 0 NOT NULL,
	`fees` integer DEFAULT 0 NOT NULL,
	`net_pnl` integer DEFAULT 0 NOT NULL,
	`max_drawdown` integer DEFAULT 0 NOT NULL,
	`open_risk` integer DEFAULT 0 NOT NULL,
	`consecutive_losses` integer DEFAULT 0 NOT NULL,
	`equity_end` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "risk_metrics_date_date" CHECK(date("date") IS "date"),
	CONSTRAINT "risk_metrics_counts" CHECK("wins" >= 0 AND "losses" >= 0 AND "wins" + "losses" <= "trades"
        AND "consecutive_losses" >= 0),
	CONSTRAINT "risk_metrics_fees_non_negative" CHECK("fees" >= 0),
	CONSTRAINT "risk_metrics_max_drawdown_non_negative" CHECK("max_drawdown" >= 0),
	CONSTRAINT "risk_metrics_open_risk_non_negative" CHECK("open_risk" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_metrics_account_date_unique` ON `risk_metrics` (`account_id`,`date`);--> statement-breakpoint
CREATE TABLE `risk_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`is_active` integer DEFAULT true NOT NULL,
	`default_risk_per_trade` integer,
	`default_risk_unit` text DEFAULT 'percent_of_equity' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "risk_profiles_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "risk_profiles_is_active_bool" CHECK("is_active" IN (0, 1)),
	CONSTRAINT "risk_profiles_default_risk_positive" CHECK("default_risk_per_trade" > 0),
	CONSTRAINT "risk_profiles_default_risk_unit_enum" CHECK("default_risk_unit" IN ('absolute', 'percent_of_equity')),
	CONSTRAINT "risk_profiles_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `risk_profiles_account_idx` ON `risk_profiles` (`account_id`);--> statement-breakpoint
CREATE TABLE `system_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text,
	`is_secret` integer DEFAULT false NOT NULL,
	`encrypted_value` blob,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "system_settings_key_shape" CHECK("key" GLOB '[a-z]*' AND "key" NOT GLOB '*[^A-Za-z0-9._-]*' AND length("key") <= 128),
	CONSTRAINT "system_settings_value_json" CHECK(json_valid("value")),
	CONSTRAINT "system_settings_is_secret_bool" CHECK("is_secret" IN (0, 1)),
	CONSTRAINT "system_settings_secret_not_plain" CHECK(CASE WHEN "is_secret" = 1 THEN "value" IS NULL
        ELSE "encrypted_value" IS NULL END),
	CONSTRAINT "system_settings_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE TABLE `backtests` (
	`id` text PRIMARY KEY NOT NULL,
	`strategy_id` text NOT NULL,
	`strategy_version` integer,
	`name` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`initial_capital` integer NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`parameters` text DEFAULT '{}' NOT NULL,
	`results` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`error` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "backtests_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "backtests_period_start_date" CHECK(date("period_start") IS "period_start"),
	CONSTRAINT "backtests_period_end_date" CHECK(date("period_end") IS "period_end"),
	CONSTRAINT "backtests_period_ordered" CHECK("period_end" >= "period_start"),
	CONSTRAINT "backtests_initial_capital_positive" CHECK("initial_capital" > 0),
	CONSTRAINT "backtests_currency_code" CHECK(length("currency") BETWEEN 2 AND 12 AND "currency" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "backtests_parameters_json_object" CHECK(json_valid("parameters") AND json_type("parameters") = 'object'),
	CONSTRAINT "backtests_results_json_object" CHECK(json_valid("results") AND json_type("results") = 'object'),
	CONSTRAINT "backtests_status_enum" CHECK("status" IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "backtests_finished_after_started" CHECK("finished_at" IS NULL OR "finished_at" >= "started_at")
);
--> statement-breakpoint
CREATE INDEX `backtests_strategy_idx` ON `backtests` (`strategy_id`);--> statement-breakpoint
CREATE TABLE `strategies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`config_version` integer DEFAULT 1 NOT NULL,
	`parent_strategy_id` text,
	`type` text DEFAULT 'discretionary' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`rules` text DEFAULT '[]' NOT NULL,
	`is_public` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`parent_strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "strategies_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "strategies_config_version_positive" CHECK("config_version" >= 1),
	CONSTRAINT "strategies_not_own_parent" CHECK("parent_strategy_id" IS NOT "id"),
	CONSTRAINT "strategies_type_enum" CHECK("type" IN ('discretionary', 'systematic', 'hybrid')),
	CONSTRAINT "strategies_status_enum" CHECK("status" IN ('draft', 'active', 'paused', 'archived')),
	CONSTRAINT "strategies_config_json_object" CHECK(json_valid("config") AND json_type("config") = 'object'),
	CONSTRAINT "strategies_tags_json_array" CHECK(json_valid("tags") AND json_type("tags") = 'array'),
	CONSTRAINT "strategies_rules_json_array" CHECK(json_valid("rules") AND json_type("rules") = 'array'),
	CONSTRAINT "strategies_is_public_bool" CHECK("is_public" IN (0, 1)),
	CONSTRAINT "strategies_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `strategies_parent_idx` ON `strategies` (`parent_strategy_id`) WHERE "parent_strategy_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `strategies_status_idx` ON `strategies` (`status`);--> statement-breakpoint
CREATE TABLE `strategy_performance` (
	`id` text PRIMARY KEY NOT NULL,
	`strategy_id` text NOT NULL,
	`date` text NOT NULL,
	`trades` integer DEFAULT 0 NOT NULL,
	`wins` integer DEFAULT 0 NOT NULL,
	`losses` integer DEFAULT 0 NOT NULL,
	`gross_pnl` integer DEFAULT 0 NOT NULL,
	`fees` integer DEFAULT 0 NOT NULL,
	`net_pnl` integer DEFAULT 0 NOT NULL,
	`gross_profit` integer DEFAULT 0 NOT NULL,
	`gross_loss` integer DEFAULT 0 NOT NULL,
	`max_drawdown` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "strategy_performance_date_date" CHECK(date("date") IS "date"),
	CONSTRAINT "strategy_performance_counts" CHECK("wins" >= 0 AND "losses" >= 0 AND "wins" + "losses" <= "trades"),
	CONSTRAINT "strategy_performance_fees_non_negative" CHECK("fees" >= 0),
	CONSTRAINT "strategy_performance_max_drawdown_non_negative" CHECK("max_drawdown" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `strategy_performance_strategy_date_unique` ON `strategy_performance` (`strategy_id`,`date`);--> statement-breakpoint
CREATE TABLE `strategy_signals` (
	`id` text PRIMARY KEY NOT NULL,
	`strategy_id` text NOT NULL,
	`instrument_id` text NOT NULL,
	`signal_at` integer NOT NULL,
	`direction` text NOT NULL,
	`price` integer,
	`strength` integer,
	`metadata` text,
	`position_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "strategy_signals_direction_enum" CHECK("direction" IN ('long', 'short', 'exit')),
	CONSTRAINT "strategy_signals_price_non_negative" CHECK("price" >= 0),
	CONSTRAINT "strategy_signals_metadata_json_object" CHECK(json_valid("metadata") AND json_type("metadata") = 'object')
);
--> statement-breakpoint
CREATE INDEX `strategy_signals_strategy_idx` ON `strategy_signals` (`strategy_id`,`signal_at`);--> statement-breakpoint
CREATE INDEX `strategy_signals_instrument_idx` ON `strategy_signals` (`instrument_id`,`signal_at`);--> statement-breakpoint
CREATE INDEX `strategy_signals_position_idx` ON `strategy_signals` (`position_id`) WHERE "position_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `strategy_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`strategy_id` text NOT NULL,
	`version` integer NOT NULL,
	`config` text NOT NULL,
	`rules` text DEFAULT '[]' NOT NULL,
	`change_note` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "strategy_versions_version_positive" CHECK("version" >= 1),
	CONSTRAINT "strategy_versions_config_json_object" CHECK(json_valid("config") AND json_type("config") = 'object'),
	CONSTRAINT "strategy_versions_rules_json_array" CHECK(json_valid("rules") AND json_type("rules") = 'array')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `strategy_versions_strategy_version_unique` ON `strategy_versions` (`strategy_id`,`version`);--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`format` text NOT NULL,
	`parser_version` text NOT NULL,
	`row_count` integer DEFAULT 0 NOT NULL,
	`fill_count` integer DEFAULT 0 NOT NULL,
	`duplicate_count` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`errors` text,
	`started_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`finished_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "import_batches_file_name_not_blank" CHECK(length(trim("file_name")) > 0),
	CONSTRAINT "import_batches_sha256_hex" CHECK(length("sha256") = 64 AND "sha256" NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "import_batches_format_not_blank" CHECK(length(trim("format")) > 0),
	CONSTRAINT "import_batches_counts_non_negative" CHECK("row_count" >= 0 AND "fill_count" >= 0 AND "duplicate_count" >= 0 AND "error_count" >= 0),
	CONSTRAINT "import_batches_status_enum" CHECK("status" IN ('pending', 'imported', 'rejected', 'undone')),
	CONSTRAINT "import_batches_errors_json_array" CHECK(json_valid("errors") AND json_type("errors") = 'array'),
	CONSTRAINT "import_batches_finished_after_started" CHECK("finished_at" IS NULL OR "finished_at" >= "started_at")
);
--> statement-breakpoint
CREATE INDEX `import_batches_account_idx` ON `import_batches` (`account_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `import_batches_sha256_idx` ON `import_batches` (`sha256`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`instrument_id` text NOT NULL,
	`broker_order_id` text,
	`side` text NOT NULL,
	`order_type` text NOT NULL,
	`time_in_force` text,
	`quantity` integer NOT NULL,
	`filled_quantity` integer DEFAULT 0 NOT NULL,
	`limit_price` integer,
	`stop_price` integer,
	`avg_fill_price` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`placed_at` integer NOT NULL,
	`closed_at` integer,
	`import_batch_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "orders_side_enum" CHECK("side" IN ('buy', 'sell')),
	CONSTRAINT "orders_order_type_enum" CHECK("order_type" IN ('market', 'limit', 'stop', 'stop_limit', 'trailing_stop', 'market_on_close', 'limit_on_close')),
	CONSTRAINT "orders_time_in_force_enum" CHECK("time_in_force" IN ('day', 'gtc', 'gtd', 'ioc', 'fok', 'opg', 'cls')),
	CONSTRAINT "orders_quantity_positive" CHECK("quantity" > 0),
	CONSTRAINT "orders_filled_quantity_range" CHECK("filled_quantity" >= 0 AND "filled_quantity" <= "quantity"),
	CONSTRAINT "orders_limit_price_non_negative" CHECK("limit_price" >= 0),
	CONSTRAINT "orders_stop_price_non_negative" CHECK("stop_price" >= 0),
	CONSTRAINT "orders_avg_fill_price_non_negative" CHECK("avg_fill_price" >= 0),
	CONSTRAINT "orders_status_enum" CHECK("status" IN ('pending', 'open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired')),
	CONSTRAINT "orders_closed_after_placed" CHECK("closed_at" IS NULL OR "closed_at" >= "placed_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_broker_order_id_unique` ON `orders` (`account_id`,`broker_order_id`) WHERE "broker_order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_account_placed_idx` ON `orders` (`account_id`,`placed_at`);--> statement-breakpoint
CREATE INDEX `orders_instrument_idx` ON `orders` (`instrument_id`);--> statement-breakpoint
CREATE INDEX `orders_import_batch_idx` ON `orders` (`import_batch_id`) WHERE "import_batch_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `positions` (
	`id` text PRIMARY KEY NOT NULL,
	`trade_key` text NOT NULL,
	`account_id` text NOT NULL,
	`instrument_id` text NOT NULL,
	`side` text NOT NULL,
	`status` text NOT NULL,
	`quantity` integer NOT NULL,
	`entry_price` integer NOT NULL,
	`exit_price` integer,
	`fees` integer DEFAULT 0 NOT NULL,
	`gross_pnl` integer,
	`net_pnl` integer,
	`pnl_percentage` integer,
	`realized_pnl` integer DEFAULT 0 NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`pnl_complete` integer DEFAULT true NOT NULL,
	`fill_count` integer DEFAULT 0 NOT NULL,
	`strategy_id` text,
	`stop_loss` integer,
	`take_profit` integer,
	`initial_risk` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "positions_trade_key_not_blank" CHECK(length(trim("trade_key")) > 0),
	CONSTRAINT "positions_side_enum" CHECK("side" IN ('long', 'short')),
	CONSTRAINT "positions_status_enum" CHECK("status" IN ('open', 'closed')),
	CONSTRAINT "positions_quantity_positive" CHECK("quantity" > 0),
	CONSTRAINT "positions_entry_price_non_negative" CHECK("entry_price" >= 0),
	CONSTRAINT "positions_exit_price_non_negative" CHECK("exit_price" >= 0),
	CONSTRAINT "positions_closed_has_exit_price" CHECK("status" = 'open' OR "exit_price" IS NOT NULL),
	CONSTRAINT "positions_fees_non_negative" CHECK("fees" >= 0),
	CONSTRAINT "positions_closed_after_opened" CHECK("closed_at" IS NULL OR "closed_at" >= "opened_at"),
	CONSTRAINT "positions_closed_at_iff_closed" CHECK(("status" = 'closed') = ("closed_at" IS NOT NULL)),
	CONSTRAINT "positions_pnl_complete_bool" CHECK("pnl_complete" IN (0, 1)),
	CONSTRAINT "positions_fill_count_non_negative" CHECK("fill_count" >= 0),
	CONSTRAINT "positions_stop_loss_non_negative" CHECK("stop_loss" >= 0),
	CONSTRAINT "positions_take_profit_non_negative" CHECK("take_profit" >= 0),
	CONSTRAINT "positions_initial_risk_positive" CHECK("initial_risk" > 0),
	CONSTRAINT "positions_version_positive" CHECK("version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `positions_account_trade_key_unique` ON `positions` (`account_id`,`trade_key`);--> statement-breakpoint
CREATE INDEX `positions_account_closed_idx` ON `positions` (`account_id`,`closed_at`);--> statement-breakpoint
CREATE INDEX `positions_instrument_closed_idx` ON `positions` (`instrument_id`,`closed_at`);--> statement-breakpoint
CREATE INDEX `positions_strategy_idx` ON `positions` (`strategy_id`) WHERE "strategy_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `positions_open_idx` ON `positions` (`account_id`,`instrument_id`) WHERE "status" = 'open' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `trades` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`instrument_id` text NOT NULL,
	`order_id` text,
	`side` text NOT NULL,
	`quantity` integer NOT NULL,
	`price` integer NOT NULL,
	`fee` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`executed_at` integer NOT NULL,
	`source_timezone` text DEFAULT 'UTC' NOT NULL,
	`broker_execution_id` text,
	`content_key` text,
	`is_derived` integer DEFAULT false NOT NULL,
	`import_batch_id` text,
	`source_line` integer,
	`raw_source` text,
	`note` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "trades_side_enum" CHECK("side" IN ('buy', 'sell')),
	CONSTRAINT "trades_quantity_positive" CHECK("quantity" > 0),
	CONSTRAINT "trades_price_non_negative" CHECK("price" >= 0),
	CONSTRAINT "trades_fee_non_negative" CHECK("fee" >= 0),
	CONSTRAINT "trades_currency_code" CHECK(length("currency") BETWEEN 2 AND 12 AND "currency" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "trades_source_timezone_not_blank" CHECK(length(trim("source_timezone")) > 0),
	CONSTRAINT "trades_is_derived_bool" CHECK("is_derived" IN (0, 1)),
	CONSTRAINT "trades_source_line_positive" CHECK("source_line" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trades_broker_execution_id_unique` ON `trades` (`account_id`,`broker_execution_id`) WHERE "broker_execution_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `trades_content_key_unique` ON `trades` (`account_id`,`content_key`) WHERE "content_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `trades_account_instrument_executed_idx` ON `trades` (`account_id`,`instrument_id`,`executed_at`);--> statement-breakpoint
CREATE INDEX `trades_account_executed_idx` ON `trades` (`account_id`,`executed_at`);--> statement-breakpoint
CREATE INDEX `trades_instrument_executed_idx` ON `trades` (`instrument_id`,`executed_at`);--> statement-breakpoint
CREATE INDEX `trades_import_batch_idx` ON `trades` (`import_batch_id`);--> statement-breakpoint
CREATE INDEX `trades_order_idx` ON `trades` (`order_id`) WHERE "order_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`key_prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`scopes` text DEFAULT '[]' NOT NULL,
	`last_used_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "api_keys_name_not_blank" CHECK(length(trim("name")) > 0),
	CONSTRAINT "api_keys_scopes_json_array" CHECK(json_valid("scopes") AND json_type("scopes") = 'array')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_user_idx` ON `api_keys` (`user_id`);--> statement-breakpoint
CREATE TABLE `user_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`last_seen_at` integer,
	`revoked_at` integer,
	`user_agent` text,
	`ip_address` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "user_sessions_expires_after_created" CHECK("expires_at" > "created_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_sessions_token_hash_unique` ON `user_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `user_sessions_user_idx` ON `user_sessions` (`user_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text COLLATE NOCASE NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text,
	`role` text DEFAULT 'owner' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`last_login_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	CONSTRAINT "users_email_shape" CHECK("email" LIKE '_%@_%'),
	CONSTRAINT "users_display_name_not_blank" CHECK(length(trim("display_name")) > 0),
	CONSTRAINT "users_role_enum" CHECK("role" IN ('owner', 'trader', 'coach', 'admin')),
	CONSTRAINT "users_timezone_not_blank" CHECK(length(trim("timezone")) > 0),
	CONSTRAINT "users_is_active_bool" CHECK("is_active" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`) WHERE "deleted_at" IS NULL;