-- The plugin's tables as release 0.1.0 created them (Base.metadata.create_all, no
-- migrations), for sqlite: the database a shop upgrades from. Generated once from that
-- release's models; never regenerate it from newer code.

CREATE TABLE dl_address_sequences (
	address_hash VARCHAR(64) NOT NULL, 
	cart_id VARCHAR(128) NOT NULL, 
	started_at DATETIME NOT NULL, 
	CONSTRAINT pk_dl_address_sequences PRIMARY KEY (address_hash)
);

CREATE TABLE dl_carts (
	id VARCHAR(128) NOT NULL, 
	lines JSON NOT NULL, 
	email VARCHAR(320), 
	address_hash VARCHAR(64), 
	name VARCHAR(200), 
	locale VARCHAR(35), 
	country VARCHAR(2), 
	timezone VARCHAR(64), 
	user_agent VARCHAR(1000), 
	is_bot BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_activity_at DATETIME NOT NULL, 
	reminders_scheduled INTEGER NOT NULL, 
	next_reminder_at DATETIME, 
	stopped_reason VARCHAR(32), 
	ordered_at DATETIME, 
	order_total VARCHAR(32), 
	restored_at DATETIME, 
	CONSTRAINT pk_dl_carts PRIMARY KEY (id)
);

CREATE INDEX ix_dl_carts_address_hash ON dl_carts (address_hash);

CREATE INDEX ix_dl_carts_due ON dl_carts (next_reminder_at) WHERE next_reminder_at IS NOT NULL;

CREATE INDEX ix_dl_carts_ordered_at ON dl_carts (ordered_at);

CREATE TABLE dl_consents (
	id INTEGER NOT NULL, 
	address_hash VARCHAR(64) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	purpose VARCHAR(32) NOT NULL, 
	granted BOOLEAN NOT NULL, 
	method VARCHAR(300) NOT NULL, 
	reference VARCHAR(200), 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_dl_consents PRIMARY KEY (id)
);

CREATE INDEX ix_dl_consents_address_hash ON dl_consents (address_hash);

CREATE TABLE dl_email_tokens (
	id VARCHAR(64) NOT NULL, 
	purpose VARCHAR(16) NOT NULL, 
	cart_id VARCHAR(128), 
	subscription_id INTEGER, 
	address_hash VARCHAR(64), 
	scope VARCHAR(32), 
	outbox_id INTEGER, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	CONSTRAINT pk_dl_email_tokens PRIMARY KEY (id)
);

CREATE INDEX ix_dl_email_tokens_address_hash ON dl_email_tokens (address_hash);

CREATE INDEX ix_dl_email_tokens_cart_id ON dl_email_tokens (cart_id);

CREATE INDEX ix_dl_email_tokens_subscription_id ON dl_email_tokens (subscription_id);

CREATE TABLE dl_feedback (
	id INTEGER NOT NULL, 
	page VARCHAR(500) NOT NULL, 
	url VARCHAR(2000), 
	title VARCHAR(300), 
	helpful BOOLEAN NOT NULL, 
	locale VARCHAR(35), 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_dl_feedback PRIMARY KEY (id)
);

CREATE INDEX ix_dl_feedback_created_at ON dl_feedback (created_at);

CREATE INDEX ix_dl_feedback_page ON dl_feedback (page);

CREATE TABLE dl_outbox (
	id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	purpose VARCHAR(32) NOT NULL, 
	cart_id VARCHAR(128), 
	step INTEGER, 
	subscription_id INTEGER, 
	restock_id INTEGER, 
	sender VARCHAR(320) NOT NULL, 
	recipient VARCHAR(320) NOT NULL, 
	address_hash VARCHAR(64) NOT NULL, 
	locale VARCHAR(35), 
	message_id VARCHAR(255) NOT NULL, 
	subject VARCHAR(500) NOT NULL, 
	message TEXT NOT NULL, 
	snapshot JSON, 
	status VARCHAR(16) NOT NULL, 
	reason TEXT, 
	due_at DATETIME NOT NULL, 
	attempts INTEGER NOT NULL, 
	unconfirmed INTEGER NOT NULL, 
	claimed_by VARCHAR(200), 
	claim_token VARCHAR(32), 
	lease_until DATETIME, 
	smtp_reply VARCHAR(500), 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	CONSTRAINT pk_dl_outbox PRIMARY KEY (id), 
	CONSTRAINT uq_dl_outbox_cart_id UNIQUE (cart_id, step), 
	CONSTRAINT uq_dl_outbox_subscription_id UNIQUE (subscription_id, restock_id), 
	CONSTRAINT uq_dl_outbox_message_id UNIQUE (message_id)
);

CREATE INDEX ix_dl_outbox_address_hash ON dl_outbox (address_hash);

CREATE INDEX ix_dl_outbox_claimable ON dl_outbox (status, due_at);

CREATE INDEX ix_dl_outbox_leases ON dl_outbox (status, lease_until);

CREATE TABLE dl_page_views (
	id INTEGER NOT NULL, 
	page VARCHAR(500) NOT NULL, 
	day DATE NOT NULL, 
	views INTEGER NOT NULL, 
	CONSTRAINT pk_dl_page_views PRIMARY KEY (id), 
	CONSTRAINT uq_dl_page_views_page UNIQUE (page, day)
);

CREATE INDEX ix_dl_page_views_day ON dl_page_views (day);

CREATE TABLE dl_products (
	sku VARCHAR(64) NOT NULL, 
	product_id VARCHAR(128), 
	name VARCHAR(300) NOT NULL, 
	attributes JSON NOT NULL, 
	price VARCHAR(32) NOT NULL, 
	vat_class VARCHAR(32) NOT NULL, 
	weight_kg VARCHAR(32), 
	stock_on_hand INTEGER NOT NULL, 
	reserved INTEGER NOT NULL, 
	restock_date DATE, 
	preorder BOOLEAN NOT NULL, 
	image_url VARCHAR(2000), 
	category VARCHAR(128), 
	description TEXT, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_dl_products PRIMARY KEY (sku)
);

CREATE INDEX ix_dl_products_product_id ON dl_products (product_id);

CREATE TABLE dl_restocks (
	id INTEGER NOT NULL, 
	sku VARCHAR(64) NOT NULL, 
	started_at DATETIME NOT NULL, 
	next_batch_at DATETIME NOT NULL, 
	notified INTEGER NOT NULL, 
	closed_at DATETIME, 
	closed_reason VARCHAR(64), 
	CONSTRAINT pk_dl_restocks PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ux_dl_restocks_open ON dl_restocks (sku) WHERE closed_at IS NULL;

CREATE TABLE dl_stock_subscriptions (
	id INTEGER NOT NULL, 
	sku VARCHAR(64) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	address_hash VARCHAR(64) NOT NULL, 
	locale VARCHAR(35), 
	status VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	confirmed_at DATETIME, 
	notified_at DATETIME, 
	restock_id INTEGER, 
	expires_at DATETIME NOT NULL, 
	CONSTRAINT pk_dl_stock_subscriptions PRIMARY KEY (id)
);

CREATE INDEX ix_dl_stock_subscriptions_address_hash ON dl_stock_subscriptions (address_hash);

CREATE INDEX ix_dl_stock_subscriptions_queue ON dl_stock_subscriptions (sku, status, created_at);

CREATE UNIQUE INDEX ux_dl_stock_subscriptions_active ON dl_stock_subscriptions (address_hash, sku) WHERE status IN ('pending', 'confirmed');

CREATE TABLE dl_suppressions (
	id INTEGER NOT NULL, 
	address_hash VARCHAR(64) NOT NULL, 
	purpose VARCHAR(32) NOT NULL, 
	reason VARCHAR(32) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_dl_suppressions PRIMARY KEY (id), 
	CONSTRAINT uq_dl_suppressions_address_hash UNIQUE (address_hash, purpose)
);
