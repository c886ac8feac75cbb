/** The web app's style sheet, served as /static/app.css (no inline style: see the CSP in app.ts). */
export const APP_STYLE = `:root{color-scheme:light dark}
*{box-sizing:border-box}
body{margin:0 auto;max-width:52rem;padding:0 1rem 3rem;line-height:1.6;font-size:16px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
color:#1f2328;background:#fff;overflow-wrap:anywhere;-webkit-text-size-adjust:100%}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}a{color:#58a6ff}}
a{color:#0969da}
.site-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.8rem 0;border-bottom:1px solid #8884;margin-bottom:1rem}
.site-nav .brand{font-weight:700;text-decoration:none;color:inherit}
.site-nav ul{display:flex;flex-wrap:wrap;gap:.2rem .9rem;list-style:none;margin:0;padding:0}
.site-nav a[aria-current=page]{font-weight:700;text-decoration:none}
form.search{display:flex;gap:.3rem;margin-left:auto}
form.search input{font:inherit;padding:.25rem .5rem;min-width:10rem;border:1px solid #8888;border-radius:4px;background:transparent;color:inherit}
form.search button{font:inherit;padding:.25rem .7rem;border:1px solid #8888;border-radius:4px;background:#8881;color:inherit}
.language-switch{margin:0;font-size:.9em}
h1{font-size:1.5rem;line-height:1.3}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #8884}
.meta,.note,.muted{color:#6e7781;font-size:.9rem}
ol.stories,ul.plain{padding-left:1.4rem}ol.stories li,ul.plain li{margin:.25rem 0}
.day{margin-bottom:1.6rem}
.badge{display:inline-block;font-size:.75rem;padding:0 .45rem;border-radius:1rem;border:1px solid #8886;vertical-align:middle}
.badge.update{border-color:#bf8700}.badge.new{border-color:#1a7f37}
.badge.failed{border-color:#cf222e;color:#cf222e}.badge.ok{border-color:#1a7f37}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;overflow-wrap:break-word}
td .error-message{overflow-wrap:anywhere;font-size:.85rem}
ul.stages{padding-left:1rem;margin:0}ul.stages li{white-space:nowrap}
thead th{white-space:nowrap;overflow-wrap:normal}
mark{background:#fff8c5;color:inherit}@media (prefers-color-scheme:dark){mark{background:#3b2e00}}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #8883;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.runs th a,table.runs .badge{white-space:nowrap}
.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#6e7781}
.snippet{color:#6e7781;font-size:.9rem;margin:.1rem 0 .6rem}
.site-footer{margin-top:3rem;color:#6e7781;font-size:.85rem;border-top:1px solid #8884}
.report-links{margin:.5rem 0 1rem}
.charts{display:flex;flex-wrap:wrap;gap:0 1.5rem}.charts h2{flex-basis:100%}
h3{font-size:1.05rem;margin:1.2rem 0 .2rem}
`;
