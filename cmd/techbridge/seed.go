package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"techbridge/market"
	"techbridge/market/demo"
)

// demoPassword is every demo account's password; the demo is for trying
// TechBridge on one machine, never for a public server.
const demoPassword = "techbridge-demo"

// demoAdminEmail marks a seeded database: seeding stops when it exists.
const demoAdminEmail = "admin@demo.techbridge.cn"

// demoRegistrarEmail is the demo's technology-contract registry.
const demoRegistrarEmail = "registrar@demo.techbridge.cn"

type demoOrg struct {
	key    string // how other demo data refers to it
	org    market.NewOrganization
	people []demoPerson
}

type demoPerson struct{ email, name string }

// demoOrgs is a small believable market, invented for this project: two
// universities and an institute that list outcomes, three enterprises and a
// district science bureau that post needs, and one transfer office.
var demoOrgs = []demoOrg{
	{"hju", market.NewOrganization{Kind: market.OrgUniversity, NameZH: "沪江理工大学", NameEN: "Hujiang University of Technology",
		Region: "上海市 / 杨浦区", CreditCode: demoCreditCode("12310000MB0A10001"),
		OrgProfile: demoProfile("310110", "上海市杨浦区军工路516号", "沈建平", "陈立新", "021-6564 1001")},
		[]demoPerson{{"chen.lab@hju.demo.cn", "陈立新 Chen Lixin"}, {"tto@hju.demo.cn", "技术转移办公室 HJU TTO"}}},
	{"eco", market.NewOrganization{Kind: market.OrgUniversity, NameZH: "东海海洋大学", NameEN: "East Sea Ocean University",
		Region: "浙江省 / 舟山市", CreditCode: demoCreditCode("12330000MB0A20002"),
		OrgProfile: demoProfile("330900", "浙江省舟山市定海区海院路1号", "叶海波", "林蔚", "0580-226 0001")},
		[]demoPerson{{"lin.wei@esou.demo.cn", "林蔚 Lin Wei"}}},
	{"yam", market.NewOrganization{Kind: market.OrgInstitute, NameZH: "长三角先进材料研究院", NameEN: "Yangtze Delta Institute of Advanced Materials",
		Region: "江苏省 / 苏州工业园区", CreditCode: demoCreditCode("12320000MB0A30003"),
		OrgProfile: demoProfile("320576", "江苏省苏州市工业园区星湖街328号", "周敏", "周敏", "0512-6287 0003")},
		[]demoPerson{{"zhou.min@yiam.demo.cn", "周敏 Zhou Min"}}},
	{"newcore", market.NewOrganization{Kind: market.OrgEnterprise, NameZH: "新擎动力电池有限公司", NameEN: "NewCore Power Battery Co., Ltd.",
		Region: "上海市 / 临港新片区", CreditCode: demoCreditCode("91310000MA1B40004"),
		OrgProfile: demoProfile("310115", "上海市浦东新区临港大道888号", "王浩", "王浩", "021-5828 0004")},
		[]demoPerson{{"cto@newcore.demo.cn", "王浩 Wang Hao"}}},
	{"greensource", market.NewOrganization{Kind: market.OrgEnterprise, NameZH: "绿源水务集团", NameEN: "GreenSource Water Group",
		Region: "浙江省 / 杭州市", CreditCode: demoCreditCode("91330000MA1B50005"),
		OrgProfile: demoProfile("330100", "浙江省杭州市上城区钱江路1号", "赵建", "赵倩", "0571-8700 0005")},
		[]demoPerson{{"rd@greensource.demo.cn", "赵倩 Zhao Qian"}}},
	{"smartforge", market.NewOrganization{Kind: market.OrgEnterprise, NameZH: "智锻精工机器人有限公司", NameEN: "SmartForge Robotics Ltd.",
		Region: "江苏省 / 无锡市", CreditCode: demoCreditCode("91320000MA1B60006"),
		OrgProfile: demoProfile("320200", "江苏省无锡市新吴区长江路6号", "李强", "李娜", "0510-8520 0006")},
		[]demoPerson{{"li.na@smartforge.demo.cn", "李娜 Li Na"}}},
	{"pudongbureau", market.NewOrganization{Kind: market.OrgPublicBody, NameZH: "浦江新区科技创新局", NameEN: "Pujiang New Area Science and Innovation Bureau",
		Region: "上海市 / 浦江新区", CreditCode: demoCreditCode("11310000MB0A70007"),
		OrgProfile: demoProfile("310112", "上海市闵行区浦江镇联航路7号", "孙立", "孙悦", "021-3412 0007")},
		[]demoPerson{{"scenarios@pujiang.demo.cn", "孙悦 Sun Yue"}}},
	{"shencheng", market.NewOrganization{Kind: market.OrgIntermediary, NameZH: "申城技术转移服务中心", NameEN: "Shencheng Technology Transfer Center",
		Region: "上海市 / 徐汇区", CreditCode: demoCreditCode("91310000MA1B80008"),
		OrgProfile: demoProfile("310104", "上海市徐汇区漕溪北路8号", "吴建国", "吴建国", "021-6468 0008")},
		[]demoPerson{{"broker@shencheng.demo.cn", "吴建国 Wu Jianguo"}}},
}

// demoProfile is a demo organisation's registration profile in China.
func demoProfile(region, address, legalRep, contact, phone string) market.OrgProfile {
	return market.OrgProfile{RegionCode: region, Address: address, LegalRepresentative: legalRep,
		ContactPerson: contact, ContactPhone: phone, Country: "CN"}
}

func demoCreditCode(first17 string) string {
	return first17 + string(market.CreditCodeCheckChar(first17))
}

func runSeed(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	dataFlags(fs, &c)
	demo := fs.Bool("demo", false, "create the demo market")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if !*demo {
		return fmt.Errorf("nothing to seed: pass --demo")
	}
	svc, db, err := c.openService(ctx, c.logger(os.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	seeded, err := seedDemo(ctx, svc, stdout)
	if err == nil && !seeded {
		fmt.Fprintln(stdout, "Demo data already present; nothing changed.")
	}
	return err
}

// seedDemo creates the demo market unless it exists, and prints the logins
// in one write at the end, so no log line lands among them.
func seedDemo(ctx context.Context, svc *market.Service, w io.Writer) (bool, error) {
	var stdout bytes.Buffer
	seeded, err := seedDemoInto(ctx, svc, &stdout)
	if seeded && err == nil {
		_, err = w.Write(stdout.Bytes())
	}
	return seeded, err
}

func seedDemoInto(ctx context.Context, svc *market.Service, stdout io.Writer) (bool, error) {
	err := svc.Store.View(ctx, func(tx market.Tx) error {
		_, err := tx.AccountByEmail(demoAdminEmail)
		return err
	})
	if err == nil {
		return false, nil
	} else if market.ErrorCode(err) != market.ENOTFOUND {
		return false, err
	}

	admin, err := svc.CreateAdmin(ctx, market.NewAccount{Email: demoAdminEmail, Password: demoPassword, DisplayName: "平台管理员 Platform Admin"}, market.RoleAdmin)
	if err != nil {
		return false, err
	}
	if _, err := svc.CreateAdmin(ctx, market.NewAccount{Email: "reviewer@demo.techbridge.cn", Password: demoPassword, DisplayName: "审核员 Reviewer"}, market.RoleReviewer); err != nil {
		return false, err
	}
	if _, err := svc.CreateAdmin(ctx, market.NewAccount{Email: demoRegistrarEmail, Password: demoPassword, DisplayName: "技术合同登记员 Registrar"}, market.RoleRegistrar); err != nil {
		return false, err
	}
	if _, err := svc.CreateAdmin(ctx, market.NewAccount{Email: "finance@demo.techbridge.cn", Password: demoPassword, DisplayName: "财务 Finance"}, market.RoleFinance); err != nil {
		return false, err
	}
	adminActor, err := svc.ActorFor(ctx, admin.ID)
	if err != nil {
		return false, err
	}
	orgIDs := map[string]string{}
	fmt.Fprintln(stdout, "Demo market created. Log in with any of these (password "+demoPassword+"):")
	fmt.Fprintf(stdout, "  %-32s platform admin\n  %-32s listing reviewer\n  %-32s contract registrar\n  %-32s finance (money desk)\n",
		demoAdminEmail, "reviewer@demo.techbridge.cn", demoRegistrarEmail, "finance@demo.techbridge.cn")
	for _, d := range demoOrgs {
		var owner market.Actor
		for i, p := range d.people {
			acc, err := svc.RegisterVerified(ctx, market.NewAccount{Email: p.email, Password: demoPassword, DisplayName: p.name})
			if err != nil {
				return false, fmt.Errorf("demo account %s: %w", p.email, err)
			}
			if i == 0 {
				if owner, err = svc.ActorFor(ctx, acc.ID); err != nil {
					return false, err
				}
				o, err := svc.CreateOrganization(ctx, owner, d.org)
				if err != nil {
					return false, fmt.Errorf("demo organisation %s: %w", d.org.NameEN, err)
				}
				orgIDs[d.key] = o.ID
				if _, err := svc.VerifyOrganization(ctx, adminActor, o.ID, market.VerificationVerified, "demo data"); err != nil {
					return false, err
				}
				if owner, err = svc.ActorFor(ctx, acc.ID); err != nil {
					return false, err
				}
			} else if err := joinDemoOrg(ctx, svc, owner, orgIDs[d.key], acc); err != nil {
				return false, err
			}
			fmt.Fprintf(stdout, "  %-32s %s (%s)\n", p.email, d.org.NameZH, d.org.Kind)
		}
	}
	listings, err := demo.SeedListings(ctx, svc, orgIDs)
	if err != nil {
		return false, fmt.Errorf("demo listings: %w", err)
	}
	fmt.Fprintf(stdout, "  with %d outcomes, %d scenarios and %d proposals\n", listings.Outcomes, listings.Scenarios, listings.Proposals)
	deals, err := demo.SeedDeals(ctx, svc, demo.Deals{Intermediary: orgIDs["shencheng"],
		Buyers: []string{orgIDs["newcore"], orgIDs["greensource"], orgIDs["smartforge"], orgIDs["pudongbureau"]}})
	if err != nil {
		return false, fmt.Errorf("demo deals: %w", err)
	}
	fmt.Fprintf(stdout, "  and %d deals at several stages, one brokered by %s\n", deals, demoOrgs[len(demoOrgs)-1].org.NameZH)
	return true, nil
}

// joinDemoOrg invites a demo account into an organisation and accepts for
// it, the same consented path every member takes.
func joinDemoOrg(ctx context.Context, svc *market.Service, owner market.Actor, orgID string, acc *market.Account) error {
	inv, err := svc.InviteMember(ctx, owner, orgID, acc.Email, market.MemberMember)
	if err != nil {
		return err
	}
	member, err := svc.ActorFor(ctx, acc.ID)
	if err != nil {
		return err
	}
	_, err = svc.AnswerInvitation(ctx, member, market.InvitationRef{ID: inv.ID}, true)
	return err
}
