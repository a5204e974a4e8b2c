package msgs

// The statistics' codes (issue 16).
const (
	StatsCursorMoved        Code = "stats_cursor_moved"
	StatsNoSuchTable        Code = "stats_no_such_table"
	StatsCommissionOnly     Code = "stats_commission_only"
	StatsNoListing          Code = "stats_no_listing"
	StatsScope              Code = "stats_scope"
	StatsFunnelMembersOnly  Code = "stats_funnel_members_only"
	StatsFieldOfTaxonomy    Code = "stats_field_of_taxonomy"
	StatsNotBeforeFrom      Code = "stats_not_before_from"
	StatsCommissionPageOnly Code = "stats_commission_page_only"
	StatsNoDownload         Code = "stats_no_download"
)

func init() {
	for c, t := range map[Code]text{
		StatsCursorMoved:        {en: "statistics cursor moved past %d", zh: "统计进度已越过 %d"},
		StatsNoSuchTable:        {en: "no statistic %q", zh: "没有统计表 %q"},
		StatsCommissionOnly:     {en: "the statistic %q is the commission's", zh: "统计表 %q 仅供科委查看"},
		StatsNoListing:          {en: "no listing %s", zh: "没有成果或需求 %s"},
		StatsScope:              {en: "scope must be listing, org, broker or all", zh: "范围应为 listing、org、broker 或 all"},
		StatsFunnelMembersOnly:  {en: "only the organisation's members and the commission see its funnel", zh: "只有本机构成员和科委可以查看其转化漏斗"},
		StatsFieldOfTaxonomy:    {en: "must be a field of the taxonomy", zh: "应为技术领域分类中的领域"},
		StatsNotBeforeFrom:      {en: "must not be before from", zh: "不能早于起始日期"},
		StatsCommissionPageOnly: {en: "only the commission (admins and registrars) sees these statistics", zh: "只有科委（管理员与登记员）可以查看这些统计"},
		StatsNoDownload:         {en: "no download %q", zh: "没有下载 %q"},
	} {
		catalogue[c] = t
	}
}
