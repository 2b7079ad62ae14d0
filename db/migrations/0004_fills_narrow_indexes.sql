DROP INDEX `trades_account_executed_idx`;--> statement-breakpoint
DROP INDEX `trades_instrument_executed_idx`;--> statement-breakpoint
ALTER TABLE `trades` ADD `broker_order_id` text;