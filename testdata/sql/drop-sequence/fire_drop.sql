DROP SEQUENCE invoice_number_seq;
