package msgs

// Codes of issue 11's money desk (finance role, bank statements) and fee
// and contract rules.
const (
	FinanceAndAdminsOnly         Code = "finance_and_admins_only"
	StatementAtMostNBytes        Code = "statement_at_most_bytes"
	StatementEmpty               Code = "statement_empty"
	StatementLineNX              Code = "statement_line"
	StatementColumnsMissingX     Code = "statement_columns_missing"
	StatementAtMostNLines        Code = "statement_at_most_lines"
	BankDateUnreadableX          Code = "bank_date_unreadable"
	BankAmountUnreadableXXX      Code = "bank_amount_unreadable"
	BankAmountZero               Code = "bank_amount_zero"
	BankTextTooLong              Code = "bank_text_too_long"
	BankLineNotText              Code = "bank_line_not_text"
	BankNoReferenceX             Code = "bank_no_reference"
	BankNoMilestoneX             Code = "bank_no_milestone"
	BankNotAwaitingXX            Code = "bank_not_awaiting"
	BankCurrencyDiffersXXX       Code = "bank_currency_differs"
	BankCardPaymentX             Code = "bank_card_payment"
	BankCannotFundXX             Code = "bank_cannot_fund"
	BankAmountDiffersXXX         Code = "bank_amount_differs"
	BankFundedX                  Code = "bank_funded"
	OnlyFinanceImportsStatements Code = "only_finance_imports_statements"
	OnlyFinanceReadsStatements   Code = "only_finance_reads_statements"
	BankLineStatusChoice         Code = "bank_line_status_choice"
	OnlyFinanceSeesPayments      Code = "only_finance_sees_payments"
	PlatformFeeChangedX          Code = "platform_fee_changed"
	FixedFeeCurrencyXXX          Code = "fixed_fee_currency"
	FeeCurrencyRequired          Code = "fee_currency_required"
	EmptyWithBPSFee              Code = "empty_with_bps_fee"
)

func init() {
	for c, t := range map[Code]text{
		FinanceAndAdminsOnly:         {en: "finance and admins only", zh: "仅限财务和管理员"},
		StatementAtMostNBytes:        {en: "a statement may be at most %d bytes", zh: "流水文件最多 %d 字节"},
		StatementEmpty:               {en: "the statement is empty", zh: "流水文件为空"},
		StatementLineNX:              {en: "line %d: %s", zh: "第 %d 行：%s"},
		StatementColumnsMissingX:     {en: "the header must name the columns date, amount, currency, reference and payer; missing: %s", zh: "首行须列出日期、金额、币种、附言、付款人各列；缺少：%s"},
		StatementAtMostNLines:        {en: "at most %d lines a statement; split the file", zh: "每份流水最多 %d 行，请拆分文件"},
		BankDateUnreadableX:          {en: "date %q is not a date such as 2026-03-01", zh: "日期 %q 无法识别，应如 2026-03-01"},
		BankAmountUnreadableXXX:      {en: "amount %q in %q: %s", zh: "金额 %q（%q）：%s"},
		BankAmountZero:               {en: "amount is zero", zh: "金额为零"},
		BankTextTooLong:              {en: "reference and payer are at most 500 characters", zh: "附言和付款人最多 500 个字符"},
		BankLineNotText:              {en: "not UTF-8 text, or longer than 4000 bytes", zh: "不是 UTF-8 文本，或超过 4000 字节"},
		BankNoReferenceX:             {en: "no TB- reference in %q", zh: "%q 中没有 TB- 编号"},
		BankNoMilestoneX:             {en: "no milestone has the reference TB-%s", zh: "没有编号为 TB-%s 的里程碑"},
		BankNotAwaitingXX:            {en: "milestone TB-%s is %s, not waiting for its funding", zh: "里程碑 TB-%s 当前为 %s，不在待付款状态"},
		BankCurrencyDiffersXXX:       {en: "milestone TB-%s is paid in %s, the transfer is in %s", zh: "里程碑 TB-%s 以 %s 支付，转账币种为 %s"},
		BankCardPaymentX:             {en: "milestone TB-%s is paid by card, confirmed by the provider", zh: "里程碑 TB-%s 通过在线支付，由支付机构确认"},
		BankCannotFundXX:             {en: "milestone TB-%s cannot be funded: %s", zh: "里程碑 TB-%s 无法入账：%s"},
		BankAmountDiffersXXX:         {en: "milestone TB-%s awaits %s, the transfer is %s", zh: "里程碑 TB-%s 应付 %s，转账金额为 %s"},
		BankFundedX:                  {en: "funded milestone TB-%s", zh: "已为里程碑 TB-%s 入账"},
		OnlyFinanceImportsStatements: {en: "only finance and admins import bank statements", zh: "只有财务和管理员可以导入银行流水"},
		OnlyFinanceReadsStatements:   {en: "only finance and admins read bank statements", zh: "只有财务和管理员可以查看银行流水"},
		BankLineStatusChoice:         {en: "must be matched, unmatched, mismatched or invalid", zh: "应为 matched、unmatched、mismatched 或 invalid"},
		OnlyFinanceSeesPayments:      {en: "only finance and admins see the platform's payments", zh: "只有财务和管理员可以查看平台的收付款"},
		PlatformFeeChangedX:          {en: "the platform fee changed since this contract was drafted and its terms cannot be paid (%s); counter the offer", zh: "合同起草后平台服务费已调整，按现行费率无法支付（%s）；请重新报价"},
		FixedFeeCurrencyXXX:          {en: "the intermediary's fixed fee was agreed in %s, so the contract must be in %s too, not %s", zh: "居间方的固定居间费以 %s 约定，合同也须使用 %s，而不是 %s"},
		FeeCurrencyRequired:          {en: "is required with a fixed fee: the currency it is agreed in", zh: "固定居间费须注明约定币种"},
		EmptyWithBPSFee:              {en: "must be empty with a percentage fee", zh: "按比例计费时应留空"},
	} {
		catalogue[c] = t
	}
}
