"""From canonical tables to findings: the audit context (`context`, `inputs`), working time
(`worktime`), the rules' run (`run`), the split into parts by worker (`parts`), and what a run
hands to the reports (`findings`, `result`). `parts.audit_files` is what `payaudit check` calls."""
