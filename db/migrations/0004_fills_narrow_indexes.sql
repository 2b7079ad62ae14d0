DROP INDEX `trades_account_executed_idx`;--> statement-breakpoint
DROP INDEX `trades_instrument_executed_idx`;--> statement-breakpoint
DROP INDEX `trades_rebuild_idx`;--> statement-breakpoint
ALTER TABLE `trades` ADD `broker_order_id` text;--> statement-breakpoint
CREATE INDEX `trades_rebuild_idx` ON `trades` (`account_id`,`instrument_id`,`executed_at`,`source_line`,`id`,`deleted_at`,`side`,`quantity`,`price`,`fee`);