package web

// trustMessages are the texts of email verification, password reset,
// invitations, account settings, the organisation switcher and the
// admins' organisation review.
var trustMessages = map[string]msg{
	"account.new_password": {"新密码", "New password"},

	"banner.unverified":      {"您的邮箱尚未验证：验证前可以浏览、起草和创建机构，但不能洽谈、签约、付款或加入机构。", "Your email address is not verified yet: you can browse, draft and create an organisation, but not open deals, sign, pay or join organisations."},
	"banner.unverified_link": {"验证邮箱", "Verify it"},

	"verify.title":  {"验证邮箱", "Verify your email"},
	"verify.lead":   {"点击下面的按钮，确认这个邮箱地址属于您。", "Press the button to confirm this email address is yours."},
	"verify.submit": {"确认验证", "Verify my email"},

	"forgot.link":   {"忘记密码？", "Forgot your password?"},
	"forgot.title":  {"忘记密码", "Forgot your password"},
	"forgot.lead":   {"输入账户的邮箱地址，我们会发送一个 30 分钟内有效的重置链接。", "Enter your account's email address and we will mail you a reset link, valid for 30 minutes."},
	"forgot.submit": {"发送重置链接", "Send the reset link"},

	"reset.title":  {"设置新密码", "Choose a new password"},
	"reset.lead":   {"设置后，您在所有设备上的登录都会退出。", "Once set, you are logged out everywhere."},
	"reset.submit": {"保存新密码", "Save the new password"},

	"invitation.title":        {"机构邀请", "Invitation to an organisation"},
	"invitation.lead":         {"接受后，您将以邀请中的角色加入该机构。", "Accept to join the organisation in the role you were invited to."},
	"invitation.verify_first": {"请先验证您的邮箱，才能接受邀请。", "Verify your email address before you accept."},
	"invitation.accept":       {"接受邀请", "Accept"},
	"invitation.decline":      {"拒绝", "Decline"},

	"org.invitations.heading": {"待处理的邀请", "Invitations to you"},
	"org.pending.heading":     {"已发出的邀请", "Pending invitations"},
	"org.pending.withdraw":    {"撤回", "Withdraw"},
	"org.members.make_owner":  {"设为所有者", "Make owner"},
	"org.members.make_member": {"设为成员", "Make member"},
	"org.members.remove":      {"移除", "Remove"},
	"org.members.leave":       {"退出机构", "Leave"},

	"settings.title":              {"账户设置", "Account settings"},
	"settings.email_verified":     {"已验证", "verified"},
	"settings.email_unverified":   {"未验证", "not verified"},
	"settings.unverified_hint":    {"请打开我们发送到该地址的链接（24 小时内有效）。没收到？可以重新发送。", "Open the link we mailed to this address (valid for 24 hours). Nothing arrived? Send a new one."},
	"settings.resend":             {"重新发送验证邮件", "Send a new verification link"},
	"settings.change_email":       {"更换邮箱", "Change email"},
	"settings.new_email":          {"新邮箱地址", "New email address"},
	"settings.current_password":   {"当前密码", "Current password"},
	"settings.profile":            {"个人资料", "Profile"},
	"settings.language":           {"邮件语言", "Language of your mail"},
	"settings.language.zh":        {"中文", "Chinese"},
	"settings.language.en":        {"英文", "English"},
	"settings.mail":               {"邮件通知", "Mail notifications"},
	"settings.mail_hint":          {"账户相关的邮件（验证、重置密码、邀请）总会发送。", "Account mail (verification, password reset, invitations) is always sent."},
	"settings.mail.deal_activity": {"洽谈动态", "Deal activity"},
	"settings.mail.match_alerts":  {"匹配提醒", "Match alerts"},
	"settings.mail.digests":       {"摘要", "Digests"},
	"settings.save":               {"保存", "Save"},
	"settings.password":           {"修改密码", "Change password"},

	"switcher.label":  {"当前代表机构", "Acting for"},
	"switcher.none":   {"（每次选择）", "(ask each time)"},
	"switcher.submit": {"切换", "Switch"},

	"nav.account_settings": {"账户设置", "Account settings"},
	"nav.org_review":       {"机构审核", "Organisation review"},

	"review_org.title":  {"机构审核", "Organisation review"},
	"review_org.names":  {"名称（中 / 英）", "Names (zh / en)"},
	"review_org.reason": {"理由（驳回时必填，机构所有者可见）", "Reason (required to reject; the owners see it)"},
	"review_org.verify": {"认证通过", "Verify"},
	"review_org.reject": {"驳回", "Reject"},
	"review_org.none":   {"没有待审核的机构。", "No organisations here."},

	"org.details.label":             {"认证材料说明", "Documents' details"},
	"org.details.hint":              {"写明营业执照或法人证书的编号、发证机关、有效期等，供平台审核。", "Give the licence or registration certificate's number, issuing office and validity, for the platform's review."},
	"org.details.submit":            {"提交认证", "Submit for verification"},
	"org.verification.submitted":    {"已提交材料", "Details submitted"},
	"notice.details_required":       {"请填写认证材料说明。", "Please give the documents' details."},
	"notice.verification_requested": {"已提交，等待平台审核。", "Submitted; waiting for the platform's review."},

	"notifications.read_all": {"全部标为已读", "Mark all read"},

	"error.unverified_email.title": {"请先验证邮箱", "Verify your email first"},
	"error.unverified_email.body":  {"这一步需要已验证的邮箱地址。请打开我们发送的验证链接，或在“账户设置”（/account）中重新发送。", "This step needs a verified email address. Open the link we mailed you, or send a new one from Account settings (/account)."},
	"error.unverified_org.title":   {"机构尚未认证", "Organisation not verified"},
	"error.unverified_org.body":    {"这一步需要平台已认证的机构。认证状态和审核记录见“我的机构”（/my/organizations）。", "This step needs an organisation the platform has verified. See its status and review history under My organisations (/my/organizations)."},

	"notice.email_verified":       {"邮箱已验证。", "Your email address is verified."},
	"notice.verification_sent":    {"新的验证链接已发送。", "A new verification link is on its way."},
	"notice.reset_sent":           {"如果该地址有账户，重置链接已发送到该地址。", "If that address has an account, a reset link is on its way to it."},
	"notice.password_reset":       {"密码已重置，请用新密码登录。", "Your password was reset. Log in with the new one."},
	"notice.password_changed":     {"密码已修改，其他设备上的登录已退出。", "Password changed; other sessions were logged out."},
	"notice.profile_saved":        {"设置已保存。", "Settings saved."},
	"notice.email_change_sent":    {"验证链接已发送到新地址；打开后即完成更换。", "A verification link went to the new address; the change completes when you open it."},
	"notice.invitation_accepted":  {"已加入机构。", "You joined the organisation."},
	"notice.invitation_declined":  {"已拒绝邀请。", "Invitation declined."},
	"notice.invitation_withdrawn": {"邀请已撤回。", "Invitation withdrawn."},
	"notice.role_changed":         {"角色已更改。", "Role changed."},
	"notice.member_removed":       {"成员已移除。", "Member removed."},
	"notice.last_owner":           {"机构至少需要一名所有者：请先指定另一名所有者。", "An organisation keeps at least one owner: make someone else owner first."},
	"notice.all_read":             {"全部通知已标为已读。", "All notifications are marked read."},
	"notice.org_decided":          {"审核结果已记录，机构所有者会收到邮件。", "Decision recorded; the owners are told by mail."},
	"notice.reason_required":      {"驳回时必须填写理由。", "A rejection needs a reason."},
}
