DROP INDEX `trades_account_executed_idx`;--> statement-breakpoint
DROP INDEX `trades_instrument_executed_idx`;--> statement-breakpoint
ALTER TABLE `trades` ADD `broker_order_id` text;--> statement-breakpoint
CREATE INDEX `positions_pair_opened_idx` ON `positions` (`account_id`,`instrument_id`,`opened_at`);