<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <source>移除选中</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>正在添加 {name} …</source>
        <translation>Adding {name} …</translation>
    </message>
    <message>
        <source>选择要添加的照片或扫描件</source>
        <translation>Choose photos or scans to add</translation>
    </message>
    <message>
        <source>照片、扫描件 (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf *.doc *.docx);;所有文件 (*)</source>
        <translation>Photos, scans (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf *.doc *.docx);;All files (*)</translation>
    </message>
    <message>
        <source>“{name}”和已添加的文件内容相同，没有重复添加。</source>
        <translation>&quot;{name}&quot; has the same content as a file already added; not added twice.</translation>
    </message>
    <message>
        <source>“{name}”没有添加：{why}</source>
        <translation>&quot;{name}&quot; was not added: {why}</translation>
    </message>
    <message>
        <source>登记群众诉求</source>
        <translation>Register a complaint</translation>
    </message>
    <message>
        <source>六、附件（来信扫描件、照片）</source>
        <translation>6. Attachments (scanned letters, photos)</translation>
    </message>
    <message>
        <source>清空重填</source>
        <translation>Clear form</translation>
    </message>
    <message>
        <source>保存登记 (Ctrl+S)</source>
        <translation>Save registration (Ctrl+S)</translation>
    </message>
    <message>
        <source>已填写的内容将全部清除，确定吗？</source>
        <translation>Everything entered will be cleared. Continue?</translation>
    </message>
    <message>
        <source>正在检查和保存，请稍等…</source>
        <translation>Checking and saving, please wait…</translation>
    </message>
    <message>
        <source>附件还在添加，请稍等再保存。</source>
        <translation>Attachments are still being added; wait, then save.</translation>
    </message>
    <message>
        <source>请核对黄色提示；确认无误，请再点“保存登记”。</source>
        <translation>Check the yellow notes; if everything is right, click &quot;Save registration&quot; again.</translation>
    </message>
    <message>
        <source>发现可能重复反映的案件，请核对。</source>
        <translation>Possible repeat complaints found; please check.</translation>
    </message>
    <message>
        <source>尚未保存：请修改后再点“保存登记”。</source>
        <translation>Not saved yet: correct the fields, then click &quot;Save registration&quot;.</translation>
    </message>
    <message>
        <source>有 {n} 处需要修改（已用红字标出），没有保存。</source>
        <translation>Not saved: fields to correct (marked in red): {n}.</translation>
    </message>
    <message>
        <source>没有保存：</source>
        <translation>Not saved: </translation>
    </message>
    <message>
        <source>登记成功，已保存。</source>
        <translation>Registered and saved.</translation>
    </message>
    <message>
        <source>请把回执交给反映人，并告诉他：凭案件编号和查询码可以查询办理进展。</source>
        <translation>Give the receipt to the petitioner and explain that the case number and query code let them check progress.</translation>
    </message>
    <message>
        <source>继续登记</source>
        <translation>Register another</translation>
    </message>
    <message>
        <source>下一个办理期限：{date}。到期前请决定是否受理，并告知反映人。</source>
        <translation>Next deadline: {date}. Decide before then whether to accept, and tell the petitioner.</translation>
    </message>
    <message>
        <source>查看案件</source>
        <translation>View case</translation>
    </message>
    <message>
        <source>群众诉求登记回执</source>
        <translation>Complaint registration receipt</translation>
    </message>
    <message>
        <source>受理告知书</source>
        <translation>Notice of acceptance</translation>
    </message>
    <message>
        <source>不予受理告知书</source>
        <translation>Notice of non-acceptance</translation>
    </message>
    <message>
        <source>督办单</source>
        <translation>Supervision notice</translation>
    </message>
    <message>
        <source>处理意见书</source>
        <translation>Written reply</translation>
    </message>
    <message>
        <source>{y}年{m}月{d}日 {hm}</source>
        <translation>{y}-{m}-{d} {hm}</translation>
    </message>
    <message>
        <source>{y}年{m}月{d}日</source>
        <translation>{y}-{m}-{d}</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>查询码</source>
        <translation>Query code</translation>
    </message>
    <message>
        <source>反映人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>登记单位</source>
        <translation>Registered at</translation>
    </message>
    <message>
        <source>请妥善保管本回执。凭案件编号和查询码，可到本站或通过上级诉求中心查询办理进展。</source>
        <translation>Please keep this receipt. With the case number and query code you can ask this station or a higher-level centre about progress.</translation>
    </message>
    <message>
        <source>{who}：您于{received}反映的“{summary}”一事，本站已于{accepted}依法受理，由{unit}负责办理。</source>
        <translation>{who}: your complaint of {received} about &quot;{summary}&quot; was accepted by this station on {accepted} and is handled by {unit}.</translation>
    </message>
    <message>
        <source>办理机关将于{date}前办结并出具书面处理意见（《信访工作条例》第三十四条）。</source>
        <translation>The handling office will conclude by {date} and give a written opinion (Petition Work Regulations Art. 34).</translation>
    </message>
    <message>
        <source>{who}：您于{received}反映的“{summary}”一事，经审查，本站于{declined}决定不予受理。</source>
        <translation>{who}: after review, on {declined} this station decided not to accept your complaint of {received} about &quot;{summary}&quot;.</translation>
    </message>
    <message>
        <source>不予受理理由</source>
        <translation>Reason for not accepting</translation>
    </message>
    <message>
        <source>请向以下渠道反映</source>
        <translation>Please raise it through this channel</translation>
    </message>
    <message>
        <source>{unit}：{received}登记的“{summary}”一事，现予督办（第{n}次），请抓紧办理，按期办结并报告办理结果。</source>
        <translation>{unit}: the matter “{summary}” registered on {received} is hereby supervised (time {n}). Please handle it promptly, conclude it on time and report the result.</translation>
    </message>
    <message>
        <source>督办时间</source>
        <translation>Supervised on</translation>
    </message>
    <message>
        <source>督办意见</source>
        <translation>Supervision note</translation>
    </message>
    <message>
        <source>请于以下日期前办理并报告</source>
        <translation>Handle and report by</translation>
    </message>
    <message>
        <source>法定办结期限</source>
        <translation>Statutory conclusion deadline</translation>
    </message>
    <message>
        <source>{who}：您于{received}反映的“{summary}”一事，经{unit}办理，现答复如下。</source>
        <translation>{who}: the matter “{summary}” you raised on {received} was handled by {unit}. Our reply follows.</translation>
    </message>
    <message>
        <source>办结未解决</source>
        <translation>Concluded, unresolved</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <source>您的诉求</source>
        <translation>Your request</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>处理意见</source>
        <translation>Written opinion</translation>
    </message>
    <message>
        <source>办结日期</source>
        <translation>Concluded on</translation>
    </message>
    <message>
        <source>打印{title}</source>
        <translation>Print {title}</translation>
    </message>
    <message>
        <source>A4纸</source>
        <translation>A4 paper</translation>
    </message>
    <message>
        <source>80毫米小票</source>
        <translation>80 mm receipt roll</translation>
    </message>
    <message>
        <source>58毫米小票</source>
        <translation>58 mm receipt roll</translation>
    </message>
    <message>
        <source>打印{name}</source>
        <translation>Print {name}</translation>
    </message>
    <message>
        <source>保存{name}PDF</source>
        <translation>Save {name} as PDF</translation>
    </message>
    <message>
        <source>纸张</source>
        <translation>Paper</translation>
    </message>
    <message>
        <source>PDF没有保存：文件夹不能写入，请换一个位置。</source>
        <translation>PDF not saved: the folder is not writable; choose another place.</translation>
    </message>
    <message>
        <source>已保存到 {path}</source>
        <translation>Saved to {path}</translation>
    </message>
    <message>
        <source>保存PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <source>（必填）</source>
        <translation> (required)</translation>
    </message>
    <message>
        <source>一、登记信息</source>
        <translation>1. Registration</translation>
    </message>
    <message>
        <source>反映方式</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>不能晚于现在</source>
        <translation>Cannot be later than now</translation>
    </message>
    <message>
        <source>登记人</source>
        <translation>Registered by</translation>
    </message>
    <message>
        <source>二、反映人</source>
        <translation>2. Petitioner</translation>
    </message>
    <message>
        <source>匿名反映（不登记姓名、身份证号码和联系方式）</source>
        <translation>Anonymous (no name, ID number or contact recorded)</translation>
    </message>
    <message>
        <source>如：张三</source>
        <translation>e.g.: Zhang San</translation>
    </message>
    <message>
        <source>18位，最后一位可以是X</source>
        <translation>18 characters; the last may be X</translation>
    </message>
    <message>
        <source>手机11位，座机带区号</source>
        <translation>Mobile: 11 digits; landline with area code</translation>
    </message>
    <message>
        <source>如：3组15号</source>
        <translation>e.g.: Group 3, No. 15</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>住址（村/社区）</source>
        <translation>Address (village/community)</translation>
    </message>
    <message>
        <source>详细住址</source>
        <translation>Address details</translation>
    </message>
    <message>
        <source>代表姓名</source>
        <translation>Representative name</translation>
    </message>
    <message>
        <source>代表身份证号码</source>
        <translation>Representative ID number</translation>
    </message>
    <message>
        <source>代表电话</source>
        <translation>Representative phone</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>三、多人走访</source>
        <translation>3. Group visit</translation>
    </message>
    <message>
        <source>多人一起来反映同一事项（集体访）</source>
        <translation>Several people came about the same matter (group visit)</translation>
    </message>
    <message>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <source>来访人数</source>
        <translation>Number of visitors</translation>
    </message>
    <message>
        <source>添加代表</source>
        <translation>Add representative</translation>
    </message>
    <message>
        <source>代表{n} 姓名（必填）</source>
        <translation>Representative {n} name (required)</translation>
    </message>
    <message>
        <source>四、被反映对象</source>
        <translation>4. Person or body complained about</translation>
    </message>
    <message>
        <source>被反映人姓名（可不填）</source>
        <translation>Name of the person complained about (optional)</translation>
    </message>
    <message>
        <source>所在单位或职务（可不填）</source>
        <translation>Unit or position (optional)</translation>
    </message>
    <message>
        <source>对象类别</source>
        <translation>Kind of subject</translation>
    </message>
    <message>
        <source>被反映人</source>
        <translation>Person complained about</translation>
    </message>
    <message>
        <source>被反映单位</source>
        <translation>Unit complained about</translation>
    </message>
    <message>
        <source>五、反映内容</source>
        <translation>5. Complaint</translation>
    </message>
    <message>
        <source>—请选择—</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>涉纪涉腐（检举控告党员干部、公职人员违纪违法）</source>
        <translation>Discipline/corruption (report against party members, officials)</translation>
    </message>
    <message>
        <source>一句话说清反映什么事，如：反映村干部挪用医保费</source>
        <translation>One sentence on what it is about, e.g.: village cadre misused medical insurance fees</translation>
    </message>
    <message>
        <source>反映人讲述的经过：时间、地点、人物、事情</source>
        <translation>What the petitioner says happened: when, where, who, what</translation>
    </message>
    <message>
        <source>反映人希望怎样解决</source>
        <translation>How the petitioner wants it resolved</translation>
    </message>
    <message>
        <source>最多{n}字</source>
        <translation>At most {n} characters</translation>
    </message>
    <message>
        <source>诉求类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>诉求性质</source>
        <translation>Statute type</translation>
    </message>
    <message>
        <source>诉求摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>反映内容</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>诉求事项</source>
        <translation>Demands</translation>
    </message>
    <message>
        <source>同一身份证号码</source>
        <translation>Same ID number</translation>
    </message>
    <message>
        <source>同村同名</source>
        <translation>Same name, same village</translation>
    </message>
    <message>
        <source>内容相似</source>
        <translation>Similar content</translation>
    </message>
    <message>
        <source>可能是重复反映</source>
        <translation>Possibly a repeat complaint</translation>
    </message>
    <message>
        <source>本站已有以下案件可能反映的是同一件事。请核对：如是同一事项，勾选后保存，新案件会与它关联（多次反映）；如不是，直接保存即可。</source>
        <translation>These cases here may be about the same matter. If so, tick them and save: the new case will be linked (repeat complaint). If not, just save.</translation>
    </message>
    <message>
        <source>注意：其中有已终结的案件。同一事项已经终结的，不再受理（信访工作条例第36条）；如果反映的是新的事实和理由，请在登记内容里写明。</source>
        <translation>Note: one of these cases is closed for good. A closed matter is not accepted again (Regulations Art. 36); if new facts and reasons are raised, write them in the registration.</translation>
    </message>
    <message>
        <source>关联</source>
        <translation>Link</translation>
    </message>
    <message>
        <source>相同之处</source>
        <translation>In common</translation>
    </message>
    <message>
        <source>相似度</source>
        <translation>Similarity</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>查看选中案件</source>
        <translation>View selected case</translation>
    </message>
    <message>
        <source>保存登记</source>
        <translation>Save registration</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Go back and edit</translation>
    </message>
    <message>
        <source>{what} {n} 件</source>
        <translation>{what}: {n}</translation>
    </message>
    <message>
        <source>共 {n} 件：</source>
        <translation>{n} in total:</translation>
    </message>
    <message>
        <source>使用说明没有安装在这台电脑上。请联系县里技术人员重新安装诉求通。</source>
        <translation>The user guide is not installed on this computer. Please ask the county&apos;s technician to reinstall Suqiu.</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>快速上手卡</source>
        <translation>Quick card</translation>
    </message>
</context>
<context>
    <name>AcceptDialog</name>
    <message>
        <source>告知方式</source>
        <translation>How notified</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>AcceptReportDialog</name>
    <message>
        <source>审核意见</source>
        <translation>Review note</translation>
    </message>
    <message>
        <source>审核不通过的，请用“发回重办”。</source>
        <translation>If the report is not accepted, use “Send back”.</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>重新查看案件</source>
        <translation>Look at the case again</translation>
    </message>
</context>
<context>
    <name>ActionDialogs</name>
    <message>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>转办</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>办理记录</source>
        <translation>Progress note</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Conclude</translation>
    </message>
    <message>
        <source>签收</source>
        <translation>Sign for</translation>
    </message>
    <message>
        <source>转办异议</source>
        <translation>Object to transfer</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>Assignment</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Urging</translation>
    </message>
    <message>
        <source>申请延期</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <source>审批延期</source>
        <translation>Decide extension</translation>
    </message>
    <message>
        <source>报送办结报告</source>
        <translation>Submit report</translation>
    </message>
    <message>
        <source>审核通过办结报告</source>
        <translation>Accept report</translation>
    </message>
    <message>
        <source>发回重办</source>
        <translation>Sent back for redo</translation>
    </message>
    <message>
        <source>终结</source>
        <translation>Close for good</translation>
    </message>
    <message>
        <source>回访评价</source>
        <translation>Follow-up rating</translation>
    </message>
    <message>
        <source>记录送达</source>
        <translation>Record service</translation>
    </message>
    <message>
        <source>更正登记事项</source>
        <translation>Correct registration</translation>
    </message>
    <message>
        <source>采用这个决定</source>
        <translation>Adopt this decision</translation>
    </message>
    <message>
        <source>关联案件</source>
        <translation>Link case</translation>
    </message>
    <message>
        <source>反映人姓名</source>
        <translation>Petitioner name</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>详细住址</source>
        <translation>Address details</translation>
    </message>
    <message>
        <source>诉求摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>反映内容</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>诉求事项</source>
        <translation>Demands</translation>
    </message>
    <message>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>诉求类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>诉求性质</source>
        <translation>Statute type</translation>
    </message>
    <message>
        <source>被反映对象类别</source>
        <translation>Kind of subject</translation>
    </message>
    <message>
        <source>被反映人</source>
        <translation>Person complained about</translation>
    </message>
    <message>
        <source>被反映单位</source>
        <translation>Unit complained about</translation>
    </message>
    <message>
        <source>来访人数</source>
        <translation>Number of visitors</translation>
    </message>
    <message>
        <source>涉纪涉腐</source>
        <translation>Discipline and corruption</translation>
    </message>
</context>
<context>
    <name>AddOperatorDialog</name>
    <message>
        <source>添加值班人员</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AmendDialog</name>
    <message>
        <source>更正项目</source>
        <translation>Field to correct</translation>
    </message>
    <message>
        <source>原内容</source>
        <translation>Current value</translation>
    </message>
    <message>
        <source>更正后内容</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>更正理由</source>
        <translation>Reason for correction</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>诉求通</source>
        <translation>Suqiu</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>办结期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>办结后须报送办结报告</source>
        <translation>A report is required after conclusion</translation>
    </message>
    <message>
        <source>办结报告</source>
        <translation>Conclusion report</translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <source>这个案件没有附件。</source>
        <translation>This case has no attachments.</translation>
    </message>
    <message>
        <source>打开附件</source>
        <translation>Open attachment</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>附件：双击打开</source>
        <translation>Attachments: double-click to open</translation>
    </message>
    <message>
        <source>（同步后可打开）</source>
        <translation> (can be opened after the next sync)</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <source>附件另存为</source>
        <translation>Save attachment as</translation>
    </message>
</context>
<context>
    <name>BatchUrgeDialog</name>
    <message>
        <source>批量督办</source>
        <translation>Urge several cases</translation>
    </message>
    <message>
        <source>对选中的 %1 件案件发出督办，督办意见和限期相同。</source>
        <translation>Urge the %1 selected cases with the same note and the same deadline.</translation>
    </message>
    <message>
        <source>督办意见</source>
        <translation>Supervision note</translation>
    </message>
    <message>
        <source>限期办理到</source>
        <translation>Handle by</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Urge</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写督办意见。</source>
        <translation>Please write the supervision note.</translation>
    </message>
</context>
<context>
    <name>CalendarNotice</name>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1年的放假安排尚未载入本系统，相关日期暂按法定节假日和周一至周五推算，载入国务院放假通知后可能变动。</source>
        <translation>The %1 holiday schedule is not loaded yet: these dates are counted from the statutory holidays and Monday–Friday and may change when the State Council notice is loaded.</translation>
    </message>
    <message>
        <source>注：本站尚未载入%1年的放假安排，上述日期暂按法定节假日推算，如遇调休以国务院通知为准。</source>
        <translation>Note: this station has not loaded the %1 holiday schedule yet; the dates above are counted from the statutory holidays. If working days are swapped, the State Council notice applies.</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <source>未记录送达日期，暂从书面答复之日起算</source>
        <translation>date of service not recorded; counted from the date of the written reply for now</translation>
    </message>
</context>
<context>
    <name>CaseDetailPage</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>← 返回</source>
        <translation>← Back</translation>
    </message>
    <message>
        <source>案件详情</source>
        <translation>Case detail</translation>
    </message>
    <message>
        <source>打印回执</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <source>打印受理告知</source>
        <translation>Print acceptance notice</translation>
    </message>
    <message>
        <source>打印处理意见书</source>
        <translation>Print written reply</translation>
    </message>
    <message>
        <source>打印督办单</source>
        <translation>Print supervision notice</translation>
    </message>
    <message>
        <source>基本情况</source>
        <translation>Facts</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>办理过程</source>
        <translation>History</translation>
    </message>
    <message>
        <source>办理时限</source>
        <translation>Time limits</translation>
    </message>
    <message>
        <source>关联案件（多次反映）：双击打开</source>
        <translation>Linked cases (repeat complaints): double-click to open</translation>
    </message>
    <message>
        <source>没有关联的案件。</source>
        <translation>No linked cases.</translation>
    </message>
    <message>
        <source>关联和附件</source>
        <translation>Links and attachments</translation>
    </message>
    <message>
        <source>这个案件刚刚有了新的记录，页面已更新。</source>
        <translation>This case has just received new records; the page has been updated.</translation>
    </message>
    <message>
        <source>案件 %1</source>
        <translation>Case %1</translation>
    </message>
    <message>
        <source>（需要人工决定）</source>
        <translation> (decision needed)</translation>
    </message>
    <message>
        <source>（提级督办）</source>
        <translation> (escalated)</translation>
    </message>
    <message>
        <source>当前没有可办理的操作。</source>
        <translation>No action is possible right now.</translation>
    </message>
    <message>
        <source>打印不予受理告知</source>
        <translation>Print non-acceptance notice</translation>
    </message>
    <message>
        <source>需要人工决定：两个站点对同一事项做了不同的决定，请核实后选定一个。</source>
        <translation>A decision is needed: two stations decided differently on the same matter. Check and choose one.</translation>
    </message>
    <message>
        <source>本站不能裁定，请由上级（乡镇或县）选定；选定后会同步到本站。</source>
        <translation>This station cannot decide; the level above (township or county) chooses, and its choice reaches this station by sync.</translation>
    </message>
    <message>
        <source>采用这个</source>
        <translation>Adopt this</translation>
    </message>
    <message>
        <source>县里发现：该诉求与 %1 号案件可能重复。</source>
        <translation>The county found that this petition may repeat case %1. </translation>
    </message>
    <message>
        <source>该事项已在办理，不再受理。</source>
        <translation>That matter is already being handled below: it is not accepted again.</translation>
    </message>
    <message>
        <source>这是保密举报，内容已加密送县纪委，本站无权查看。</source>
        <translation>This is a confidential report, encrypted for the county discipline commission; this station cannot read it.</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>查询码</source>
        <translation>Query code</translation>
    </message>
    <message>
        <source>反映人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>被反映对象</source>
        <translation>Complained about</translation>
    </message>
    <message>
        <source>当前承办</source>
        <translation>Now handled by</translation>
    </message>
    <message>
        <source>不予受理理由</source>
        <translation>Reason for not accepting</translation>
    </message>
    <message>
        <source>案件已更新，请先查看“办理过程”中的新记录。再次点“%1”时，刚才填写的内容还在。</source>
        <translation>The case has been updated: look at the new records under &quot;History&quot; first. When you click &quot;%1&quot; again, what you typed is still there.</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>%1：%2 → %3（理由：%4）</source>
        <translation>%1: %2 → %3 (reason: %4)</translation>
    </message>
    <message>
        <source>（未同步到本站的案件）</source>
        <translation>(case not synced to this station)</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>%1（其他站点）</source>
        <translation>%1 (other station)</translation>
    </message>
</context>
<context>
    <name>CasebookModel</name>
    <message>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>反映人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>到期日：%1</source>
        <translation>Due: %1</translation>
    </message>
    <message>
        <source>（待人工决定）</source>
        <translation> (decision needed)</translation>
    </message>
</context>
<context>
    <name>CasebookPage</name>
    <message>
        <source>案件簿</source>
        <translation>Case book</translation>
    </message>
    <message>
        <source>搜索：案件编号、查询码或反映内容</source>
        <translation>Search: case number, query code or content</translation>
    </message>
    <message>
        <source>反映人姓名或拼音，如 zhangsan / zs</source>
        <translation>Petitioner name or pinyin, e.g. zhangsan / zs</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>未办结</source>
        <translation>Not concluded</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部渠道</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>全部期限</source>
        <translation>Any deadline</translation>
    </message>
    <message>
        <source>只看逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <source>只看即将到期</source>
        <translation>Due soon only</translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation>Registered between</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>没有找到符合条件的案件。可以清空搜索框或把筛选改回“全部”。</source>
        <translation>No matching cases. Clear the search box or set the filters back to &quot;All&quot;.</translation>
    </message>
    <message numerus="yes">
        <source>至少 %n 件（已显示 %1 件，向下滚动加载更多）</source>
        <translation>
            <numerusform>At least %n case (%1 shown; scroll down for more)</numerusform>
            <numerusform>At least %n cases (%1 shown; scroll down for more)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>共 %n 件（已显示 %1 件）</source>
        <translation>
            <numerusform>%n case (%1 shown)</numerusform>
            <numerusform>%n cases (%1 shown)</numerusform>
        </translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>原密码</source>
        <translation>Old password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再输一次新密码</source>
        <translation>Repeat new password</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ClocksView</name>
    <message>
        <source>时限</source>
        <translation>Time limit</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>到期日</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>剩余</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>复查、复核期限：%1；收到送达回证后请点“记录送达”。</source>
        <translation>Review and re-review windows: %1. When the proof of service comes back, click &quot;Record service&quot;.</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>终结理由</source>
        <translation>Reason for closing</translation>
    </message>
    <message>
        <source>终结后这件诉求只能查看，不能再办理；同一事实和理由再次反映的，登记时会提示不再受理（信访工作条例第36条）。</source>
        <translation>After closing, the case can only be viewed; if the same facts and reasons come again, the intake warns that they are not accepted (Regulations Art. 36).</translation>
    </message>
</context>
<context>
    <name>ConcludeDialog</name>
    <message>
        <source>问题已解决</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>已解释说明</source>
        <translation>Explained to the petitioner</translation>
    </message>
    <message>
        <source>部分解决</source>
        <translation>Partly resolved</translation>
    </message>
    <message>
        <source>反映不属实</source>
        <translation>Complaint not substantiated</translation>
    </message>
    <message>
        <source>诉求不合理，不予支持</source>
        <translation>Request unreasonable, not supported</translation>
    </message>
    <message>
        <source>选择或填写办理结果</source>
        <translation>Choose or type the result</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>处理意见（书面答复内容）</source>
        <translation>Written opinion (the reply text)</translation>
    </message>
    <message>
        <source>已解决</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>办结未解决</source>
        <translation>Concluded, unresolved</translation>
    </message>
    <message>
        <source>办结情况</source>
        <translation>Outcome</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>工作台</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>%1，您好！这里是%2。</source>
        <translation>Hello, %1! This is %2.</translation>
    </message>
    <message>
        <source>待处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>即将到期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>本月登记</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>登记新诉求 (Ctrl+N)</source>
        <translation>New complaint (Ctrl+N)</translation>
    </message>
    <message>
        <source>查看全部案件</source>
        <translation>All cases</translation>
    </message>
    <message>
        <source>最紧急的案件（按到期时间）</source>
        <translation>Most urgent cases (by due date)</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>没有待办的案件。</source>
        <translation>No open cases.</translation>
    </message>
    <message>
        <source>有 %1 件案件需要人工决定（两个站点的决定不一致），请在案件簿中查看。</source>
        <translation>%1 cases need a decision (two stations decided differently); see the case book.</translation>
    </message>
</context>
<context>
    <name>DecideExtensionDialog</name>
    <message>
        <source>同意延期</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>不同意延期</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>审批意见</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>同意延长天数（不超过申请天数）</source>
        <translation>Days approved (at most the days requested)</translation>
    </message>
    <message>
        <source>说明（不同意时必填）</source>
        <translation>Note (required when refusing)</translation>
    </message>
</context>
<context>
    <name>DeclineDialog</name>
    <message>
        <source>不属于本机关职责范围</source>
        <translation>Outside this office&apos;s responsibilities</translation>
    </message>
    <message>
        <source>已经或者依法应当通过诉讼、仲裁、行政复议等途径解决</source>
        <translation>Already, or by law to be, resolved by litigation, arbitration or administrative review</translation>
    </message>
    <message>
        <source>已经受理或者正在办理，在规定期限内再次提出同一诉求</source>
        <translation>Already accepted or being handled; the same request was raised again within the time limit</translation>
    </message>
    <message>
        <source>无具体诉求内容</source>
        <translation>No specific request</translation>
    </message>
    <message>
        <source>选择或填写不予受理的理由</source>
        <translation>Choose or type the reason for not accepting</translation>
    </message>
    <message>
        <source>不予受理理由</source>
        <translation>Reason for not accepting</translation>
    </message>
    <message>
        <source>例如：向县人民法院起诉 / 向县人社局反映</source>
        <translation>e.g.: sue at the county court / report to the county social security bureau</translation>
    </message>
    <message>
        <source>告知途径</source>
        <translation>Proper channel told</translation>
    </message>
    <message>
        <source>告知方式</source>
        <translation>How notified</translation>
    </message>
</context>
<context>
    <name>DivisionPage</name>
    <message>
        <source>第一步：本站在哪里</source>
        <translation>Step 1: where is this station</translation>
    </message>
    <message>
        <source>先选本站是哪一级，再选地方。可以直接输入名称或拼音首字母查找。</source>
        <translation>First choose the station&apos;s level, then the place. You can type a name or its pinyin initials to search.</translation>
    </message>
    <message>
        <source>村（社区）群众诉求站，或乡（镇）群众诉求中心</source>
        <translation>Village (community) station, or township centre</translation>
    </message>
    <message>
        <source>县（市、区）群众诉求中心</source>
        <translation>County (city, district) centre</translation>
    </message>
    <message>
        <source>县直部门或乡（镇）站所，如县民政局、镇司法所</source>
        <translation>A county department or a township office, such as the county civil affairs bureau or a township justice office</translation>
    </message>
    <message>
        <source>市（州）群众诉求中心</source>
        <translation>City (prefecture) centre</translation>
    </message>
    <message>
        <source>省群众诉求中心</source>
        <translation>Province centre</translation>
    </message>
    <message>
        <source>请选择市（州）</source>
        <translation>Choose the city (prefecture)</translation>
    </message>
    <message>
        <source>请选择县（市、区）</source>
        <translation>Choose a county</translation>
    </message>
    <message>
        <source>县（市、区）</source>
        <translation>County (city, district)</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>市（州）</source>
        <translation>City (prefecture)</translation>
    </message>
    <message>
        <source>省</source>
        <translation>Province</translation>
    </message>
    <message>
        <source>本站是</source>
        <translation>This station is</translation>
    </message>
    <message>
        <source>选择本站所在的乡（镇），村级站还要选到村（社区）。</source>
        <translation>Choose the station&apos;s township; a village station also chooses its village (community).</translation>
    </message>
    <message>
        <source>选择本县（市、区）。</source>
        <translation>Choose the county (city, district).</translation>
    </message>
    <message>
        <source>先选县（市、区），乡（镇）站所还要选到乡（镇），再从县里登记的部门中选本单位。列表里没有的部门，请县群众诉求中心先登记。</source>
        <translation>Choose the county (a township office also chooses its township), then this unit among the departments the county registered. A department that is not listed must first be registered by the county centre.</translation>
    </message>
    <message>
        <source>这里还没有登记部门，请先与县服务器同步，或请县群众诉求中心登记。</source>
        <translation>No departments are registered here yet: sync with the county server first, or ask the county centre to register them.</translation>
    </message>
    <message>
        <source>选择本市（州）。</source>
        <translation>Choose the city (prefecture).</translation>
    </message>
    <message>
        <source>本省。</source>
        <translation>This province.</translation>
    </message>
    <message>
        <source>请选择部门</source>
        <translation>Choose the department</translation>
    </message>
</context>
<context>
    <name>DivisionPicker</name>
    <message>
        <source>输入名称或拼音首字母搜索，如 洛党 / luodang / ldz</source>
        <translation>Type a name or pinyin initials, e.g. 洛党 / luodang / ldz</translation>
    </message>
    <message>
        <source>县（市、区）</source>
        <translation>County (city, district)</translation>
    </message>
    <message>
        <source>乡（镇）</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>请选择乡（镇）</source>
        <translation>Choose a township</translation>
    </message>
    <message>
        <source>请选择村（社区）</source>
        <translation>Choose a village</translation>
    </message>
    <message>
        <source>请选择县（市、区）</source>
        <translation>Choose a county</translation>
    </message>
    <message>
        <source>尚未选择</source>
        <translation>Nothing chosen yet</translation>
    </message>
    <message>
        <source>没有找到，请换个写法或用下面的列表选择</source>
        <translation>Nothing found; try another spelling or use the lists below</translation>
    </message>
</context>
<context>
    <name>DutyDesk</name>
    <message>
        <source>换人值班</source>
        <translation>Change of duty staff</translation>
    </message>
    <message>
        <source>上一位值班员的登记表还没有保存，换人后会清空。确定换人吗？</source>
        <translation>The previous clerk left a registration form that is not saved; it will be cleared when you take over. Take over anyway?</translation>
    </message>
    <message>
        <source>没有换人。上一位值班员可以输入自己的密码继续。</source>
        <translation>Nobody took over. The previous clerk can type their password to go on.</translation>
    </message>
    <message>
        <source>恢复完成</source>
        <translation>Restore finished</translation>
    </message>
    <message>
        <source>已恢复到 %1 的备份，之后的 %2 条记录已保留。恢复前的数据另存在备份中。
请重新登录。</source>
        <translation>Restored to the backup of %1; the %2 records made after it were kept. The data as it was before the restore is kept among the backups.
Please log in again.</translation>
    </message>
</context>
<context>
    <name>Enums</name>
    <message>
        <source>省</source>
        <translation>Province</translation>
    </message>
    <message>
        <source>市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>乡（镇）</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Walk-in visit</translation>
    </message>
    <message>
        <source>来信</source>
        <translation>Letter</translation>
    </message>
    <message>
        <source>来电</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <source>12388举报电话</source>
        <translation>12388 reporting hotline</translation>
    </message>
    <message>
        <source>网络</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>短信</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>群众诉求箱</source>
        <translation>Complaint box</translation>
    </message>
    <message>
        <source>干部下访/约访</source>
        <translation>Cadre visit / appointment</translation>
    </message>
    <message>
        <source>特邀监督员/群众诉求联络员</source>
        <translation>Invited supervisor / liaison</translation>
    </message>
    <message>
        <source>村监委</source>
        <translation>Village supervisory committee</translation>
    </message>
    <message>
        <source>工作建议</source>
        <translation>Work suggestion</translation>
    </message>
    <message>
        <source>土地</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>拆迁</source>
        <translation>Demolition</translation>
    </message>
    <message>
        <source>社会保障</source>
        <translation>Social security</translation>
    </message>
    <message>
        <source>扶贫救灾救济</source>
        <translation>Poverty and disaster relief</translation>
    </message>
    <message>
        <source>惠民政策落实</source>
        <translation>Benefit policy implementation</translation>
    </message>
    <message>
        <source>拖欠款项</source>
        <translation>Unpaid money</translation>
    </message>
    <message>
        <source>教育医疗</source>
        <translation>Education and health</translation>
    </message>
    <message>
        <source>基础设施</source>
        <translation>Infrastructure</translation>
    </message>
    <message>
        <source>林权纠纷</source>
        <translation>Forest rights dispute</translation>
    </message>
    <message>
        <source>家庭及邻里纠纷</source>
        <translation>Family and neighbour dispute</translation>
    </message>
    <message>
        <source>历史遗留</source>
        <translation>Legacy issue</translation>
    </message>
    <message>
        <source>涉法涉诉</source>
        <translation>Law and litigation</translation>
    </message>
    <message>
        <source>涉纪涉腐</source>
        <translation>Discipline and corruption</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>无具体内容</source>
        <translation>No specific content</translation>
    </message>
    <message>
        <source>建议意见</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <source>检举控告</source>
        <translation>Accusation</translation>
    </message>
    <message>
        <source>申诉求决</source>
        <translation>Appeal / request</translation>
    </message>
    <message>
        <source>无具体对象</source>
        <translation>No specific subject</translation>
    </message>
    <message>
        <source>村（社区）干部</source>
        <translation>Village cadre</translation>
    </message>
    <message>
        <source>乡镇干部</source>
        <translation>Township cadre</translation>
    </message>
    <message>
        <source>县级干部</source>
        <translation>County cadre</translation>
    </message>
    <message>
        <source>职能部门</source>
        <translation>Government department</translation>
    </message>
    <message>
        <source>企事业单位</source>
        <translation>Enterprise or institution</translation>
    </message>
    <message>
        <source>其他个人</source>
        <translation>Other individual</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Basically satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>当场告知</source>
        <translation>On the spot</translation>
    </message>
    <message>
        <source>电话告知</source>
        <translation>By phone</translation>
    </message>
    <message>
        <source>书面告知</source>
        <translation>In writing</translation>
    </message>
    <message>
        <source>短信告知</source>
        <translation>By SMS</translation>
    </message>
    <message>
        <source>匿名，无需告知</source>
        <translation>Anonymous, no notice needed</translation>
    </message>
    <message>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>已转办</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <source>已交办</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <source>办结未解决</source>
        <translation>Concluded, unresolved</translation>
    </message>
    <message>
        <source>已回访</source>
        <translation>Followed up</translation>
    </message>
    <message>
        <source>复查中</source>
        <translation>Under review</translation>
    </message>
    <message>
        <source>已终结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>村级值班员</source>
        <translation>Village duty clerk</translation>
    </message>
    <message>
        <source>乡镇工作人员</source>
        <translation>Township staff</translation>
    </message>
    <message>
        <source>县级工作人员</source>
        <translation>County staff</translation>
    </message>
    <message>
        <source>监察人员</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>登记后15日内受理或转送、交办</source>
        <translation>Accept, transfer or assign within 15 days of registration</translation>
    </message>
    <message>
        <source>检举控告5个工作日内受理或转交</source>
        <translation>Accept or pass on a report within 5 working days</translation>
    </message>
    <message>
        <source>15个工作日内告知实名举报人受理情况</source>
        <translation>Tell a named reporter about acceptance within 15 working days</translation>
    </message>
    <message>
        <source>受理之日起60日内办结（经批准可延长）</source>
        <translation>Conclude within 60 days of acceptance (extendable with approval)</translation>
    </message>
    <message>
        <source>按交办期限办结并报告</source>
        <translation>Conclude and report by the assigned deadline</translation>
    </message>
    <message>
        <source>办结后15个工作日内告知实名举报人处理结果</source>
        <translation>Tell a named reporter the result within 15 working days of concluding</translation>
    </message>
    <message>
        <source>收到书面答复之日起30日内可申请复查</source>
        <translation>Review may be requested within 30 days of receiving the written reply</translation>
    </message>
    <message>
        <source>收到书面答复之日起30日内可申请复核</source>
        <translation>Re-review may be requested within 30 days of receiving the written reply</translation>
    </message>
    <message>
        <source>收到转送、交办事项5个工作日内可提出异议</source>
        <translation>A wrongly transferred or assigned case may be objected to within 5 working days of receipt</translation>
    </message>
    <message>
        <source>送达</source>
        <translation>Service of reply</translation>
    </message>
    <message>
        <source>直接送达</source>
        <translation>In person</translation>
    </message>
    <message>
        <source>邮寄送达</source>
        <translation>By post</translation>
    </message>
    <message>
        <source>电子送达</source>
        <translation>Electronically</translation>
    </message>
    <message>
        <source>委托送达</source>
        <translation>Through an agent</translation>
    </message>
    <message>
        <source>留置送达</source>
        <translation>Left at the address</translation>
    </message>
    <message>
        <source>收到复查请求后30日内作出意见</source>
        <translation>Decide a review within 30 days of the request</translation>
    </message>
    <message>
        <source>收到复核请求后30日内作出意见</source>
        <translation>Decide a re-review within 30 days of the request</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>首次设置</source>
        <translation>First-run setup</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>完成设置</source>
        <translation>Finish setup</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>电话回访</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <source>上门回访</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <source>当面回访</source>
        <translation>In person</translation>
    </message>
    <message>
        <source>短信回访</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>回访方式</source>
        <translation>Follow-up method</translation>
    </message>
    <message>
        <source>回访记录</source>
        <translation>Follow-up notes</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <source>使用说明</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>这份使用说明只有中文版。</source>
        <translation>This guide is available in Chinese only.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>例如 530921108203-2026-0007</source>
        <translation>e.g. 530921108203-2026-0007</translation>
    </message>
    <message>
        <source>要关联的案件编号</source>
        <translation>Case number to link</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>换人值班：输入您自己的用户名和密码。</source>
        <translation>Taking over the desk: type your own user name and password.</translation>
    </message>
    <message>
        <source>诉求通</source>
        <translation>Suqiu</translation>
    </message>
    <message>
        <source>%1 分钟没有操作，屏幕已锁定。%2，请输入密码继续。</source>
        <translation>Nothing was done for %1 minutes, so the screen is locked. %2, type your password to go on.</translation>
    </message>
    <message>
        <source>屏幕已锁定。%1，请输入密码继续。</source>
        <translation>The screen is locked. %1, type your password to go on.</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>请下一位值班员登录。</source>
        <translation>Next clerk on duty, please log in.</translation>
    </message>
    <message>
        <source>数据已恢复。请重新登录。</source>
        <translation>The data has been restored. Please log in again.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>诉求通</source>
        <translation>Suqiu</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>工作台</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>登记新诉求</source>
        <translation>New complaint</translation>
    </message>
    <message>
        <source>案件簿</source>
        <translation>Case book</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>工作队列</source>
        <translation>Work queues</translation>
    </message>
    <message>
        <source>值班(&amp;D)</source>
        <translation>&amp;Duty</translation>
    </message>
    <message>
        <source>切换值班员…</source>
        <translation>Change clerk on duty…</translation>
    </message>
    <message>
        <source>锁定屏幕（暂时离开）</source>
        <translation>Lock the screen (stepping away)</translation>
    </message>
    <message>
        <source>显示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>大字模式</source>
        <translation>Large font</translation>
    </message>
    <message>
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>使用说明(&amp;G)</source>
        <translation>User &amp;guide</translation>
    </message>
    <message>
        <source>快速上手卡（可打印）(&amp;C)…</source>
        <translation>Printable quick &amp;card…</translation>
    </message>
    <message>
        <source>关于诉求通</source>
        <translation>About Suqiu</translation>
    </message>
    <message>
        <source>值班员：%1（%2）</source>
        <translation>Operator: %1 (%2)</translation>
    </message>
    <message>
        <source>站点：%1</source>
        <translation>Station: %1</translation>
    </message>
    <message>
        <source>同步：尚未同步</source>
        <translation>Sync: not yet synced</translation>
    </message>
    <message>
        <source>新%1</source>
        <translation>%1 new</translation>
    </message>
    <message>
        <source>督%1</source>
        <translation>%1 urged</translation>
    </message>
    <message>
        <source>新到待签收 %1 件，收到督办 %2 件</source>
        <translation>%1 new cases to sign for, %2 urged cases received</translation>
    </message>
    <message>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>没有找到英文翻译文件，界面保持中文。</source>
        <translation>English translation file not found; the interface stays in Chinese.</translation>
    </message>
    <message>
        <source>诉求通 %1 版
群众诉求五级联动离线工作站。
没有网络时照常登记，有网络或U盘时再同步。</source>
        <translation>Suqiu version %1
Offline workstation for five-level complaint handling.
Register as usual without network; sync when there is a network or a USB stick.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>此项必须填写。</source>
        <translation>This field is required.</translation>
    </message>
    <message>
        <source>内容太长，最多 {max} 个字。</source>
        <translation>Too long: at most {max} characters.</translation>
    </message>
    <message>
        <source>含有不能保存的特殊控制字符，请删除后重新输入。</source>
        <translation>Contains special control characters that cannot be saved; delete them and type again.</translation>
    </message>
    <message>
        <source>不能使用表情符号，请改用文字。</source>
        <translation>Emoji cannot be used; please use words.</translation>
    </message>
    <message>
        <source>身份证号码格式不对：应为18位（最后一位可以是X）。</source>
        <translation>Wrong ID number format: 18 characters (the last may be X).</translation>
    </message>
    <message>
        <source>身份证号码校验位不对，请逐位核对。</source>
        <translation>The ID number check digit is wrong; check each digit.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期在今天之后，请核对。</source>
        <translation>The birth date in the ID number is in the future; please check.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期不存在，请核对。</source>
        <translation>The birth date in the ID number does not exist; please check.</translation>
    </message>
    <message>
        <source>身份证号码前6位的地区码查不到（现在和过去都没有这个地区码），请逐位核对；确认无误可以继续。</source>
        <translation>The area code (first 6 digits) of the ID number does not exist, now or in the past. Check each digit; if it is correct you may continue.</translation>
    </message>
    <message>
        <source>电话号码不对：手机为11位，座机请带区号（如 0883-1234567）。</source>
        <translation>Invalid phone number: mobiles have 11 digits; landlines need the area code (e.g. 0883-1234567).</translation>
    </message>
    <message>
        <source>手机号码的开头不对：位数没错，但前三位不是手机号段（应像 138、159、186），请核对前几位。</source>
        <translation>The mobile number starts wrongly: it has the right number of digits, but its first three are not a mobile prefix (such as 138, 159, 186). Please check the first digits.</translation>
    </message>
    <message>
        <source>时间不能晚于现在。</source>
        <translation>The time cannot be later than now.</translation>
    </message>
    <message>
        <source>时间太早（不能早于2000年），请核对。</source>
        <translation>Too early (not before 2000); please check.</translation>
    </message>
    <message>
        <source>送达日期不能早于书面答复的日期（{reply_date}）。</source>
        <translation>The date of service cannot be before the written reply ({reply_date}).</translation>
    </message>
    <message>
        <source>日期或时间格式不对。</source>
        <translation>Wrong date or time format.</translation>
    </message>
    <message>
        <source>找不到这个行政区划，请从列表中选择。</source>
        <translation>Unknown division; please choose from the list.</translation>
    </message>
    <message>
        <source>这个地方不在本站管辖范围内。</source>
        <translation>This place is outside this station&apos;s jurisdiction.</translation>
    </message>
    <message>
        <source>请选择到{level}一级。</source>
        <translation>Please choose down to the {level} level.</translation>
    </message>
    <message>
        <source>多人走访推选的代表不能超过 {max} 人（信访工作条例第18条）。</source>
        <translation>A group visit may elect at most {max} representatives (Petition Work Regulations Art. 18).</translation>
    </message>
    <message>
        <source>选项无效，请从列表中选择。</source>
        <translation>Invalid option; choose from the list.</translation>
    </message>
    <message>
        <source>数值超出范围（{min}–{max}）。</source>
        <translation>Number out of range ({min}–{max}).</translation>
    </message>
    <message>
        <source>匿名反映时不填写姓名和身份证号码。</source>
        <translation>For an anonymous report, leave the name and ID number empty.</translation>
    </message>
    <message>
        <source>表格中有无法识别的内容，请关闭后重新登记。</source>
        <translation>The form contains something unrecognised; close it and register again.</translation>
    </message>
    <message>
        <source>用户名或密码不对，请重新输入。注意大小写和输入法。</source>
        <translation>Wrong user name or password; please try again. Mind upper/lower case and the input method.</translation>
    </message>
    <message>
        <source>这个用户名登录失败的次数太多，为保护账号，请等 {seconds} 秒后再试。</source>
        <translation>Too many failed logins for this user name. To protect the account, please wait {seconds} seconds and try again.</translation>
    </message>
    <message>
        <source>这个用户名登录失败的次数太多，为保护账号，请等 {minutes} 分钟后再试。</source>
        <translation>Too many failed logins for this user name. To protect the account, please wait {minutes} minutes and try again.</translation>
    </message>
    <message>
        <source>用户名只能用小写字母、数字和下划线，3到20位。</source>
        <translation>User names use lowercase letters, digits and underscore only, 3 to 20 characters.</translation>
    </message>
    <message>
        <source>这个用户名已经有人用了，请换一个。</source>
        <translation>This user name is taken; choose another.</translation>
    </message>
    <message>
        <source>密码太短，至少 {min} 位。</source>
        <translation>Password too short: at least {min} characters.</translation>
    </message>
    <message>
        <source>两次输入的密码不一样。</source>
        <translation>The two passwords do not match.</translation>
    </message>
    <message>
        <source>原密码不对。</source>
        <translation>The old password is wrong.</translation>
    </message>
    <message>
        <source>角色无效，请从列表中选择。</source>
        <translation>Invalid role; choose from the list.</translation>
    </message>
    <message>
        <source>本站已经设置过，不能重复设置。</source>
        <translation>This station is already set up; it cannot be set up again.</translation>
    </message>
    <message>
        <source>本站还没有完成首次设置。</source>
        <translation>This station has not completed its first-run setup.</translation>
    </message>
    <message>
        <source>站点名称不能为空，最多 {max} 个字。</source>
        <translation>The station name cannot be empty and can have at most {max} characters.</translation>
    </message>
    <message>
        <source>您的账号没有这项操作的权限。</source>
        <translation>Your account is not allowed to do this.</translation>
    </message>
    <message>
        <source>找不到这个案件，可能尚未同步到本站。</source>
        <translation>Case not found; it may not be synced to this station yet.</translation>
    </message>
    <message>
        <source>案件当前状态下不能做这项操作，页面已刷新，请重新查看。</source>
        <translation>This action is not possible in the case&apos;s current status; the page was refreshed.</translation>
    </message>
    <message>
        <source>这个案件刚刚有了新的记录（来自同步或另一位值班员），您这次填写的还没有保存。请先重新查看案件，再决定是否办理；已填写的内容会保留。</source>
        <translation>This case has just received new records (from a sync or another clerk); what you entered has not been saved. Look at the case again before you decide; what you typed is kept.</translation>
    </message>
    <message>
        <source>这是保密举报，内容本站无权查看。</source>
        <translation>This is a confidential report; this station cannot read it.</translation>
    </message>
    <message>
        <source>新内容和原来一样，不需要更正。</source>
        <translation>The new value equals the old one; nothing to correct.</translation>
    </message>
    <message>
        <source>延期最多 {max} 天（信访工作条例第34条）。</source>
        <translation>An extension is at most {max} days (Petition Work Regulations Art. 34).</translation>
    </message>
    <message>
        <source>不能把案件关联到它自己。</source>
        <translation>A case cannot be linked to itself.</translation>
    </message>
    <message>
        <source>要关联的案件不存在。</source>
        <translation>The case to link does not exist.</translation>
    </message>
    <message>
        <source>这个冲突已经处理过了，页面已刷新。</source>
        <translation>This conflict was already resolved; the page was refreshed.</translation>
    </message>
    <message>
        <source>文件太大，最多 {max_mb} MB。</source>
        <translation>File too large: at most {max_mb} MB.</translation>
    </message>
    <message>
        <source>只能添加照片、PDF 或 Word 文件。</source>
        <translation>Only photos, PDF or Word files can be added.</translation>
    </message>
    <message>
        <source>找不到这个文件，可能已被移动或删除。</source>
        <translation>File not found; it may have been moved or deleted.</translation>
    </message>
    <message>
        <source>这个附件还没有同步到本机，同步后再打开。</source>
        <translation>This attachment has not reached this PC yet; open it after the next sync.</translation>
    </message>
    <message>
        <source>这种文件不能直接打开，请用“另存为…”保存后再查看。</source>
        <translation>This kind of file is not opened directly; use “Save as…” and look at the copy.</translation>
    </message>
    <message>
        <source>这个文件是空的。</source>
        <translation>This file is empty.</translation>
    </message>
    <message>
        <source>备份没有成功，请检查磁盘空间后再试。</source>
        <translation>The backup failed; check the disk space and try again.</translation>
    </message>
    <message>
        <source>数据库正忙，请稍等几秒再试。</source>
        <translation>The database is busy; wait a few seconds and try again.</translation>
    </message>
    <message>
        <source>软件内部出错了，请重试；如果还不行，请联系县里技术人员。</source>
        <translation>Internal error; try again, and if it persists contact the county technician.</translation>
    </message>
    <message>
        <source>填写的内容类型不对，请重新选择或填写。</source>
        <translation>Wrong kind of value; please choose or type again.</translation>
    </message>
    <message>
        <source>这是15位老身份证号码，请向群众要18位新号码。</source>
        <translation>This is an old 15-digit ID number; ask for the 18-digit number.</translation>
    </message>
    <message>
        <source>5人以上集体走访应当推选代表（不超过5人），请填写代表。</source>
        <translation>A group visit of 5 or more people should elect representatives (at most 5); please enter them.</translation>
    </message>
    <message>
        <source>附件信息不完整，请删除后重新添加。</source>
        <translation>Attachment details are incomplete; remove it and add it again.</translation>
    </message>
    <message>
        <source>案件标识不对。</source>
        <translation>Invalid case identifier.</translation>
    </message>
    <message>
        <source>案件编号格式不对，应像 530921108203-2026-0007。</source>
        <translation>Wrong case number format; it looks like 530921108203-2026-0007.</translation>
    </message>
    <message>
        <source>查询码应为6位字母或数字（没有0、O、1、I）。</source>
        <translation>The query code has 6 letters or digits (no 0, O, 1 or I).</translation>
    </message>
    <message>
        <source>数值太大，最大 {max}。</source>
        <translation>Number too large: at most {max}.</translation>
    </message>
    <message>
        <source>数值太小，最小 {min}。</source>
        <translation>Number too small: at least {min}.</translation>
    </message>
    <message>
        <source>找不到这个附件文件，请重新添加。</source>
        <translation>Attachment file not found; please add it again.</translation>
    </message>
    <message>
        <source>这是本站最后一个管理员账号，不能停用。</source>
        <translation>This is the station&apos;s last administrator; it cannot be disabled.</translation>
    </message>
    <message>
        <source>这两个案件已经关联过了。</source>
        <translation>These two cases are already linked.</translation>
    </message>
    <message>
        <source>姓名搜索只能用汉字或拼音字母。</source>
        <translation>Name search takes Chinese characters or pinyin letters only.</translation>
    </message>
    <message>
        <source>案件还没有受理，不能做这项操作。</source>
        <translation>The case has not been accepted yet; this is not possible.</translation>
    </message>
    <message>
        <source>案件不是“不予受理”状态，不能打印不予受理告知书。</source>
        <translation>The case is not in &quot;not accepted&quot; status; the non-acceptance notice cannot be printed.</translation>
    </message>
    <message>
        <source>没有这个用户。</source>
        <translation>No such user.</translation>
    </message>
    <message>
        <source>密码太长，最多 {max} 位。</source>
        <translation>Password too long: at most {max} characters.</translation>
    </message>
    <message>
        <source>暂时无法生成查询码，请再保存一次。</source>
        <translation>Could not make a query code; please save again.</translation>
    </message>
    <message>
        <source>无法按这一列排序。</source>
        <translation>Cannot sort by this column.</translation>
    </message>
    <message>
        <source>状态筛选无效，请重新选择。</source>
        <translation>Invalid status filter; choose again.</translation>
    </message>
    <message>
        <source>案件已经在这个单位办理，不需要转办。</source>
        <translation>The case is already with this unit; no transfer needed.</translation>
    </message>
    <message>
        <source>找不到这个备份文件。</source>
        <translation>Backup file not found.</translation>
    </message>
    <message>
        <source>这个备份文件已损坏，不能恢复。</source>
        <translation>This backup is damaged; it cannot be restored.</translation>
    </message>
    <message>
        <source>这不是本系统的备份文件，不能恢复。</source>
        <translation>This is not a Suqiu backup; it cannot be restored.</translation>
    </message>
    <message>
        <source>这是另一个站点的备份，不能恢复到本站。</source>
        <translation>This is a backup of another station; it cannot be restored here.</translation>
    </message>
    <message>
        <source>附件传输出错，下次同步会重新传。</source>
        <translation>An attachment transfer failed; it is resent at the next sync.</translation>
    </message>
    <message>
        <source>本站近期上传的附件超过了县服务器的限额，暂不接收新附件，稍后会自动继续上传；记录都保存在本机。</source>
        <translation>This station has recently uploaded more attachments than the county server allows; new attachments are refused for now and the upload continues automatically later. All records are kept on this station.</translation>
    </message>
    <message>
        <source>县服务器磁盘将满，暂时不能上传附件；记录已保存在本机，请联系县里技术人员。</source>
        <translation>The county server&apos;s disk is nearly full, so attachments cannot be uploaded now. The records are kept on this station; please contact the county&apos;s technician.</translation>
    </message>
    <message>
        <source>县服务器缺少本站较早的记录，本站无法补发，上报已暂停。本站数据均已保留，请联系县群众诉求中心。</source>
        <translation>The county server is missing earlier records of this station that cannot be re-sent; uploading is paused. All data is kept on this station. Please contact the county petition centre.</translation>
    </message>
    <message>
        <source>记录内容的格式不对，不能保存。</source>
        <translation>The record&apos;s content is malformed and cannot be saved.</translation>
    </message>
    <message>
        <source>没有这个工作队列。</source>
        <translation>There is no such work queue.</translation>
    </message>
    <message>
        <source>姓名不能为空，最多 {max} 个字。</source>
        <translation>The name cannot be empty; at most {max} characters.</translation>
    </message>
    <message>
        <source>新版本整理本站数据时出错，数据已经恢复成升级前的样子，没有丢失（升级前的备份：{backup}）。请联系县里技术人员。</source>
        <translation>The new version could not update this station&apos;s data. The data has been put back as it was before the upgrade; nothing is lost (backup before the upgrade: {backup}). Please contact the county&apos;s technician.</translation>
    </message>
    <message>
        <source>新版本整理本站数据时出错，自动恢复也没有成功。请先不要登记，马上联系县里技术人员；升级前的数据保存在备份 {backup} 中。</source>
        <translation>The new version could not update this station&apos;s data, and putting it back automatically failed too. Do not register anything for now and contact the county&apos;s technician at once; the data from before the upgrade is in the backup {backup}.</translation>
    </message>
    <message>
        <source>升级前备份本站数据没有成功，为了数据安全，这次没有升级。请检查磁盘空间后重新打开程序。</source>
        <translation>The station&apos;s data could not be backed up before the upgrade, so to keep it safe nothing was upgraded. Please check the free disk space and open the program again.</translation>
    </message>
    <message>
        <source>今天的备份没能复制到U盘，请检查U盘是否插好、是否写满。</source>
        <translation>Today&apos;s backup could not be copied to the USB stick. Check that the stick is plugged in properly and is not full.</translation>
    </message>
    <message>
        <source>本站无权对这个案件做这项操作（案件不在本站辖区，或本级不能做这项操作）。</source>
        <translation>This station may not do this on this case (the case is outside its jurisdiction, or its level cannot take this action).</translation>
    </message>
    <message>
        <source>本站密钥文件损坏，暂时不能登记编号和同步。本站数据均已保留，请联系县里技术人员。</source>
        <translation>This station&apos;s key file is damaged: cases cannot be numbered or synced for now. All data here is kept; contact the county technician.</translation>
    </message>
    <message>
        <source>一条记录超过了县服务器允许的大小，无法上报。本站数据均已保留，请联系县里技术人员。</source>
        <translation>A record is larger than the county server accepts and cannot be uploaded. All data is kept on this station; please contact the county technician.</translation>
    </message>
    <message>
        <source>这个村站数据包太大，无法通过网络转报；请让村站分几次导出，或把文件带到县里导入。</source>
        <translation>This village bundle is too large to relay over the network; ask the village to export in several parts, or take the file to the county for import.</translation>
    </message>
    <message>
        <source>这个村站已被县里停用，县里不再接收它的数据包；请联系县群众诉求中心。</source>
        <translation>The county has revoked this village station and no longer accepts its bundles; please contact the county petition centre.</translation>
    </message>
    <message>
        <source>本站尚未在县服务器注册，请先在“同步”页填写服务器地址和县里发的注册码。</source>
        <translation>This station is not enrolled with the county server; on the Sync page, enter the server address and the enrollment code from the county.</translation>
    </message>
    <message>
        <source>连不上县服务器，请检查网络；数据已保存在本机，联网后会自动同步，也可以用U盘导出数据包。</source>
        <translation>Cannot reach the county server; check the network. Data is saved here and syncs automatically when online, or export a bundle to a USB stick.</translation>
    </message>
    <message>
        <source>网络太慢或中断，本次同步未完成；已收到的数据不会丢失，稍后自动重试。</source>
        <translation>The network is too slow or dropped; this sync did not finish. Nothing received is lost; it retries automatically.</translation>
    </message>
    <message>
        <source>县服务器暂时出错，稍后会自动重试。</source>
        <translation>The county server has a temporary error; it will retry automatically.</translation>
    </message>
    <message>
        <source>县服务器不认识本站，请联系县群众诉求中心重新注册。本站数据均已保留。</source>
        <translation>The county server does not know this station; ask the county centre to enroll it again. All data here is kept.</translation>
    </message>
    <message>
        <source>本站已被县群众诉求中心停用，无法同步。本站数据均已保留。</source>
        <translation>The county centre has disabled this station; sync is not possible. All data here is kept.</translation>
    </message>
    <message>
        <source>本站密钥与县服务器上注册的不一致，请联系县群众诉求中心。本站数据均已保留。</source>
        <translation>This station&apos;s key does not match the one enrolled on the county server; contact the county centre. All data here is kept.</translation>
    </message>
    <message>
        <source>同步请求编号异常，请再同步一次；仍失败请联系县群众诉求中心。</source>
        <translation>The sync request number was out of order; sync once more. If it still fails, contact the county centre.</translation>
    </message>
    <message>
        <source>县服务器要求新版本，请升级诉求通后再同步。</source>
        <translation>The county server needs a newer version; upgrade Suqiu, then sync.</translation>
    </message>
    <message>
        <source>服务器返回的数据无法识别，请稍后再试或升级诉求通。</source>
        <translation>The server&apos;s data could not be read; try again later or upgrade Suqiu.</translation>
    </message>
    <message>
        <source>收到一条本版本无法识别的记录，已单独存放；请升级诉求通后再同步。</source>
        <translation>A record this version cannot read was received and set aside; upgrade Suqiu, then sync.</translation>
    </message>
    <message>
        <source>收到的记录与本机记录冲突，已单独存放，请联系县群众诉求中心。</source>
        <translation>A received record conflicts with a record on this PC; it was set aside. Contact the county centre.</translation>
    </message>
    <message>
        <source>正在同步（也可能在另一个窗口或命令行里），请等这次同步结束。</source>
        <translation>A sync is running (perhaps in another window or on the command line); wait until it ends.</translation>
    </message>
    <message>
        <source>服务器地址应以 http:// 或 https:// 开头，例如 http://10.1.2.3:8470。</source>
        <translation>The server address must start with http:// or https://, e.g. http://10.1.2.3:8470.</translation>
    </message>
    <message>
        <source>注册码无效或已过期，请向县群众诉求中心索取新的注册码。</source>
        <translation>The enrollment code is invalid or expired; ask the county centre for a new one.</translation>
    </message>
    <message>
        <source>这个注册码已被使用，请向县群众诉求中心索取新的注册码。</source>
        <translation>This enrollment code has already been used; ask the county centre for a new one.</translation>
    </message>
    <message>
        <source>本站已在其他区划注册，请联系县群众诉求中心。</source>
        <translation>This station is already enrolled for another division; contact the county centre.</translation>
    </message>
    <message>
        <source>注册码输错次数太多，请过十分钟再试。</source>
        <translation>Too many wrong enrollment codes. Please try again in ten minutes.</translation>
    </message>
    <message>
        <source>没有需要导出的记录（所有记录都已上报）。</source>
        <translation>Nothing to export (all records have been sent).</translation>
    </message>
    <message>
        <source>这个文件已损坏或不是诉求通数据包，无法导入。</source>
        <translation>This file is damaged or not a Suqiu bundle; it cannot be imported.</translation>
    </message>
    <message>
        <source>数据包签名校验失败，可能被篡改，已拒绝导入。</source>
        <translation>Bundle signature check failed (possibly tampered); import refused.</translation>
    </message>
    <message>
        <source>这个数据包来自不属于本辖区的站点，已拒绝导入。</source>
        <translation>This bundle comes from a station outside this jurisdiction; import refused.</translation>
    </message>
    <message>
        <source>这个返回数据包是发给其他站点的，已拒绝导入。</source>
        <translation>This return bundle is for another station; import refused.</translation>
    </message>
    <message>
        <source>这是本站自己导出的数据包，不需要在本站导入。</source>
        <translation>This bundle was exported by this station; no need to import it here.</translation>
    </message>
    <message>
        <source>写这个数据包的站点不在本机保存的县注册名册中，已拒绝导入。请先与县服务器同步一次（更新名册），再导入。</source>
        <translation>The station that wrote this bundle is not in the county&apos;s station register kept here; import refused. Sync with the county server once (to update the register), then import.</translation>
    </message>
    <message>
        <source>写这个数据包的站点已被县群众诉求中心停用，已拒绝导入。</source>
        <translation>The station that wrote this bundle has been revoked by the county centre; import refused.</translation>
    </message>
    <message>
        <source>这个村站不在县注册名册中本辖区的村站里，无法为它写返回数据包；请先与县服务器同步一次。</source>
        <translation>This village station is not among this jurisdiction&apos;s stations in the county register, so no return bundle can be written for it; sync with the county server once first.</translation>
    </message>
    <message>
        <source>这个注册码不是为本站所在的区划发的，本站没有注册。请核对本站区划，或向县群众诉求中心索取本区划的注册码。</source>
        <translation>This enrollment code was not issued for this station&apos;s division; the station was not enrolled. Check the station&apos;s division, or ask the county centre for a code for it.</translation>
    </message>
    <message>
        <source>县服务器上没有本站的注册记录，请向县群众诉求中心索取专为本站发的重新注册码。</source>
        <translation>The county server has no enrollment of this station; ask the county centre for a re-enrollment code issued for this station.</translation>
    </message>
    <message>
        <source>本站已经注册过：重新注册需要本站原来的密钥，或县群众诉求中心专为本站发的注册码。</source>
        <translation>This station is already enrolled: re-enrolling needs its original key, or a code the county centre issued for this very station.</translation>
    </message>
    <message>
        <source>县服务器的注册答复无法识别或与本站不符，本站没有注册。请联系县群众诉求中心。</source>
        <translation>The county server&apos;s enrollment answer could not be read or does not match this station; the station was not enrolled. Contact the county centre.</translation>
    </message>
    <message>
        <source>数据包中的记录与本机记录冲突，已拒绝导入；请联系县群众诉求中心。</source>
        <translation>Records in the bundle conflict with this PC&apos;s records; import refused. Contact the county centre.</translation>
    </message>
    <message>
        <source>前面有记录还没有被接收，这一条暂时不能处理，会自动重试。</source>
        <translation>Earlier records have not been accepted yet, so this one cannot be processed now; it is retried automatically.</translation>
    </message>
    <message>
        <source>记录编号与已有的另一条记录冲突，已单独存放待查，请联系县群众诉求中心。</source>
        <translation>The record&apos;s number conflicts with another record; it was set aside for checking. Contact the county centre.</translation>
    </message>
    <message>
        <source>同一编号的记录内容与已有的不一致，已单独存放待查。</source>
        <translation>A record with the same id but different content already exists; it was set aside for checking.</translation>
    </message>
    <message>
        <source>记录不属于发送它的站点，不予接收。</source>
        <translation>The record does not belong to the station that sent it; not accepted.</translation>
    </message>
    <message>
        <source>这种记录，收到它的一方软件版本较旧、还不认识；该方升级诉求通后会自动重新处理，记录不会丢失。</source>
        <translation>The side that received this kind of record runs an older version that does not know it yet; once that side upgrades Suqiu, the record is processed again. Nothing is lost.</translation>
    </message>
    <message>
        <source>记录太大，不予接收，已单独存放待查。</source>
        <translation>The record is too large; not accepted, set aside for checking.</translation>
    </message>
    <message>
        <source>记录格式不对，不予接收，已单独存放待查。</source>
        <translation>The record is malformed; not accepted, set aside for checking.</translation>
    </message>
    <message>
        <source>县服务器上没有这个地址，请核对服务器地址。</source>
        <translation>The county server has no such address; check the server address.</translation>
    </message>
    <message>
        <source>县服务器不接受这种请求，请核对服务器地址或升级诉求通。</source>
        <translation>The county server does not accept this kind of request; check the server address or upgrade Suqiu.</translation>
    </message>
    <message>
        <source>本站同步编号文件损坏，暂时不能同步。本站数据均已保留，请联系县里技术人员。</source>
        <translation>This station&apos;s sync counter file is damaged; sync is not possible for now. All data here is kept; contact the county&apos;s technician.</translation>
    </message>
    <message>
        <source>本站同步编号已用尽，请联系县群众诉求中心重新注册本站。本站数据均已保留。</source>
        <translation>This station&apos;s sync numbers are used up; ask the county centre to enroll the station again. All data here is kept.</translation>
    </message>
    <message>
        <source>收到的站点公钥格式不对，已拒绝。</source>
        <translation>The station public key received is malformed; refused.</translation>
    </message>
    <message>
        <source>同步请求缺少本站签名，请先在县服务器注册本站。</source>
        <translation>The sync request carries no station signature; enroll this station with the county server first.</translation>
    </message>
    <message>
        <source>县服务器认为本站发出的数据格式不对，请升级诉求通后再同步。</source>
        <translation>The county server found the data this station sent malformed; upgrade Suqiu, then sync.</translation>
    </message>
    <message>
        <source>数据在传输中出错，请再同步一次。</source>
        <translation>The data was damaged in transfer; sync once more.</translation>
    </message>
    <message>
        <source>这些数据不在本站辖区内，县服务器不予提供。</source>
        <translation>This data is outside this station&apos;s jurisdiction; the county server does not provide it.</translation>
    </message>
    <message>
        <source>县服务器上还没有这个附件，下次同步会再试。</source>
        <translation>The county server does not have this attachment yet; the next sync tries again.</translation>
    </message>
    <message>
        <source>附件续传的位置不对，下次同步会重新传。</source>
        <translation>The attachment upload resumed at the wrong place; the next sync sends it again.</translation>
    </message>
    <message>
        <source>案件编号的序号部分不对，应像 530921108203-2026-0007。</source>
        <translation>The serial part of the case number is wrong; it should look like 530921108203-2026-0007.</translation>
    </message>
    <message>
        <source>案件编号的站点代码部分不对，应像 530921108203-2026-0007。</source>
        <translation>The station code part of the case number is wrong; it should look like 530921108203-2026-0007.</translation>
    </message>
    <message>
        <source>案件编号的年份部分不对，应像 530921108203-2026-0007。</source>
        <translation>The year part of the case number is wrong; it should look like 530921108203-2026-0007.</translation>
    </message>
    <message>
        <source>查询码只能有字母和数字（没有0、O、1、I）。</source>
        <translation>A query code has only letters and digits (no 0, O, 1 or I).</translation>
    </message>
    <message>
        <source>查询码应为6位。</source>
        <translation>A query code has 6 characters.</translation>
    </message>
    <message>
        <source>单位代码格式不对，应像 530921000000 或 530921000000.mz。</source>
        <translation>The unit code is not valid; it should look like 530921000000 or 530921000000.mz.</translation>
    </message>
    <message>
        <source>部门代码的后缀不对：只能用小写字母和数字，以字母开头，最多12位。</source>
        <translation>The department suffix is not valid: lower-case letters and digits only, starting with a letter, at most 12 characters.</translation>
    </message>
    <message>
        <source>村（社区）下面不能再设部门。</source>
        <translation>A village (community) cannot have departments under it.</translation>
    </message>
    <message>
        <source>单位名录里没有这个单位，请从列表中选择。</source>
        <translation>This unit is not in the unit register; please choose one from the list.</translation>
    </message>
    <message>
        <source>单位名录中有一行格式不对，已跳过这一行。</source>
        <translation>A row of the unit register is malformed; that row was skipped.</translation>
    </message>
    <message>
        <source>单位类别不对。</source>
        <translation>The unit type is not valid.</translation>
    </message>
    <message>
        <source>这个单位所属的行政区划查不到。</source>
        <translation>The administrative division this unit belongs to cannot be found.</translation>
    </message>
    <message>
        <source>单位的上级或层级与它的代码不一致。</source>
        <translation>The unit&apos;s parent or level does not match its code.</translation>
    </message>
    <message>
        <source>单位名录里已有这个单位代码。</source>
        <translation>The unit register already has this unit code.</translation>
    </message>
    <message>
        <source>这个单位不在本县（本级）的名录范围内。</source>
        <translation>This unit is outside this county&apos;s (this level&apos;s) register.</translation>
    </message>
    <message>
        <source>单位名录太长，超出部分没有载入。</source>
        <translation>The unit register is too long; the rows beyond the limit were not loaded.</translation>
    </message>
    <message>
        <source>县里发来的单位名录或节假日表有一条格式不对，已跳过这一条，其余照常使用。</source>
        <translation>One entry of the unit register or holiday table sent by the county was malformed; it was skipped and the rest is in use.</translation>
    </message>
    <message>
        <source>收到的单位名录或节假日表没有县服务器的有效签名，已拒收，其余照常使用。</source>
        <translation>A unit register or holiday table entry without a valid county server signature was refused; the rest is in use.</translation>
    </message>
    <message>
        <source>分流表里有一行的诉求类别不对，已跳过这一行。</source>
        <translation>A row of the routing table names an unknown category; it was skipped.</translation>
    </message>
    <message>
        <source>这个单位已经撤销或合并，请选择现有的单位。</source>
        <translation>This unit has been abolished or merged; choose an existing unit.</translation>
    </message>
    <message>
        <source>这个部门不属于所选的行政区划，请重新选择。</source>
        <translation>This department does not belong to the chosen division; choose again.</translation>
    </message>
    <message>
        <source>这个注册码不是为本单位发的，本站没有注册。请核对本站是哪个单位，或向县群众诉求中心索取本单位的注册码。</source>
        <translation>This enrollment code was not issued for this unit, so the station was not enrolled. Check which unit this station is, or ask the county centre for a code for this unit.</translation>
    </message>
    <message>
        <source>本站的单位设置不对，无法办理。请联系县里技术人员。</source>
        <translation>This station&apos;s unit is not set up correctly, so nothing can be handled. Please contact the county&apos;s technician.</translation>
    </message>
    <message>
        <source>这个岗位不属于本站所在的层级。</source>
        <translation>This role does not belong to this station&apos;s level.</translation>
    </message>
    <message>
        <source>没有这种办理操作。</source>
        <translation>There is no such handling step.</translation>
    </message>
    <message>
        <source>这件诉求不归本站查看或办理。</source>
        <translation>This case is not one this station may see or handle.</translation>
    </message>
    <message>
        <source>本单位不是这件诉求的承办或督办单位，不能做这一步。</source>
        <translation>Your unit is not the handling or supervising unit of this case, so it cannot take this step.</translation>
    </message>
    <message>
        <source>您的岗位不能做这一步，请找有权限的同事。</source>
        <translation>Your role cannot take this step; please ask a colleague who may.</translation>
    </message>
    <message>
        <source>这件诉求现在的状态下不能做这一步。</source>
        <translation>This step is not possible in the case&apos;s current status.</translation>
    </message>
    <message>
        <source>延期最多 {max_days} 天，已经用完。</source>
        <translation>Extensions are at most {max_days} days, and they have been used up.</translation>
    </message>
    <message>
        <source>复查（复核）还没有作出决定。</source>
        <translation>The review (re-examination) has not been decided yet.</translation>
    </message>
    <message>
        <source>复查（复核）已经作出决定，不能再改。</source>
        <translation>The review (re-examination) has already been decided and cannot be changed.</translation>
    </message>
    <message>
        <source>这件诉求没有需要处理的冲突。</source>
        <translation>This case has no conflict to resolve.</translation>
    </message>
    <message>
        <source>这是保密件，本站无权查看或办理。</source>
        <translation>This is a confidential case; this station may not see or handle it.</translation>
    </message>
    <message>
        <source>这件诉求本单位已经签收过了。</source>
        <translation>Your unit has already signed for this case.</translation>
    </message>
    <message>
        <source>上一次延期申请还没有审批，请等审批后再申请。</source>
        <translation>The previous extension request is not decided yet; wait for the decision.</translation>
    </message>
    <message>
        <source>没有待审批的延期申请。</source>
        <translation>There is no extension request to decide.</translation>
    </message>
    <message>
        <source>交办时没有要求报送办结报告。</source>
        <translation>The assignment did not ask for a conclusion report.</translation>
    </message>
    <message>
        <source>办结报告已经报送过了。</source>
        <translation>The conclusion report has already been submitted.</translation>
    </message>
    <message>
        <source>没有待审核的办结报告。</source>
        <translation>There is no conclusion report to review.</translation>
    </message>
    <message>
        <source>已经签收，或者这件诉求不是转办、交办来的，不能提出异议。</source>
        <translation>Already signed for, or the case was not transferred or assigned: no objection is possible.</translation>
    </message>
    <message>
        <source>收到转办、交办已超过5个工作日（{deadline}前），不能再提出异议（信访工作条例第23条）。</source>
        <translation>More than 5 working days since the transfer or assignment (deadline {deadline}): an objection is no longer possible (Regulations Art. 23).</translation>
    </message>
    <message>
        <source>期限日期不对：不能早于今天，也不能超过一年。</source>
        <translation>Invalid deadline: not before today and not more than a year ahead.</translation>
    </message>
    <message>
        <source>这件诉求还没有督办，没有督办单可打印。</source>
        <translation>This case has not been supervised: there is no supervision notice to print.</translation>
    </message>
    <message>
        <source>这件诉求还没有办结，没有处理意见书可打印。</source>
        <translation>This case is not concluded: there is no written reply to print.</translation>
    </message>
    <message>
        <source>操作没有完成（错误代码：{code}）。请重试；如果还不行，请联系县里技术人员。</source>
        <translation>The operation did not complete (error code: {code}). Try again; if it still fails, contact the county technician.</translation>
    </message>
    <message>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>诉求类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>诉求性质</source>
        <translation>Statute type</translation>
    </message>
    <message>
        <source>涉纪涉腐</source>
        <translation>Discipline and corruption</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>所属地区</source>
        <translation>Division</translation>
    </message>
    <message>
        <source>登记人</source>
        <translation>Registered by</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>住址（村/社区）</source>
        <translation>Address (village/community)</translation>
    </message>
    <message>
        <source>详细住址</source>
        <translation>Address details</translation>
    </message>
    <message>
        <source>匿名</source>
        <translation>Anonymous</translation>
    </message>
    <message>
        <source>来访人数</source>
        <translation>Number of visitors</translation>
    </message>
    <message>
        <source>代表</source>
        <translation>Representatives</translation>
    </message>
    <message>
        <source>代表姓名</source>
        <translation>Representative name</translation>
    </message>
    <message>
        <source>代表身份证号码</source>
        <translation>Representative ID number</translation>
    </message>
    <message>
        <source>代表电话</source>
        <translation>Representative phone</translation>
    </message>
    <message>
        <source>被反映对象类别</source>
        <translation>Kind of subject</translation>
    </message>
    <message>
        <source>被反映人</source>
        <translation>Person complained about</translation>
    </message>
    <message>
        <source>被反映单位</source>
        <translation>Unit complained about</translation>
    </message>
    <message>
        <source>诉求摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>反映内容</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>诉求事项</source>
        <translation>Demands</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>告知途径</source>
        <translation>Proper channel told</translation>
    </message>
    <message>
        <source>告知方式</source>
        <translation>How notified</translation>
    </message>
    <message>
        <source>转办到</source>
        <translation>Transfer to</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <source>延期天数</source>
        <translation>Extension days</translation>
    </message>
    <message>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>处理意见</source>
        <translation>Written opinion</translation>
    </message>
    <message>
        <source>送达日期</source>
        <translation>Date of service</translation>
    </message>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>回访方式</source>
        <translation>Follow-up method</translation>
    </message>
    <message>
        <source>更正项目</source>
        <translation>Field to correct</translation>
    </message>
    <message>
        <source>更正后内容</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>站点名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Registration</translation>
    </message>
    <message>
        <source>更正登记事项</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>关联多次反映</source>
        <translation>Linked repeat complaint</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Acceptance</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>转办</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>Assignment</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Urging</translation>
    </message>
    <message>
        <source>延期</source>
        <translation>Extension</translation>
    </message>
    <message>
        <source>办理情况</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>送达</source>
        <translation>Service of reply</translation>
    </message>
    <message>
        <source>回访评价</source>
        <translation>Follow-up rating</translation>
    </message>
    <message>
        <source>申请复查</source>
        <translation>Review requested</translation>
    </message>
    <message>
        <source>复查意见</source>
        <translation>Review decision</translation>
    </message>
    <message>
        <source>发回重办</source>
        <translation>Sent back for redo</translation>
    </message>
    <message>
        <source>添加附件</source>
        <translation>Attachment added</translation>
    </message>
    <message>
        <source>裁定冲突</source>
        <translation>Conflict resolved</translation>
    </message>
    <message>
        <source>签收</source>
        <translation>Sign for</translation>
    </message>
    <message>
        <source>转办异议</source>
        <translation>Object to transfer</translation>
    </message>
    <message>
        <source>申请延期</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <source>审批延期</source>
        <translation>Decide extension</translation>
    </message>
    <message>
        <source>办结报告</source>
        <translation>Conclusion report</translation>
    </message>
    <message>
        <source>审核办结报告</source>
        <translation>Accept report</translation>
    </message>
    <message>
        <source>终结</source>
        <translation>Close for good</translation>
    </message>
    <message>
        <source>其他记录</source>
        <translation>Other record</translation>
    </message>
    <message>
        <source>受理决定</source>
        <translation>Acceptance decision</translation>
    </message>
    <message>
        <source>办结结果</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>更正%1</source>
        <translation>Correction of %1</translation>
    </message>
</context>
<context>
    <name>ObjectTransferDialog</name>
    <message>
        <source>异议理由</source>
        <translation>Reason for objecting</translation>
    </message>
    <message>
        <source>提出异议后，案件退回转办（交办）单位重新处理。须在收到之日起5个工作日内提出（信访工作条例第23条）。</source>
        <translation>After an objection the case goes back to the unit that sent it. Object within 5 working days of receiving it (Regulations Art. 23).</translation>
    </message>
</context>
<context>
    <name>OperatorForm</name>
    <message>
        <source>小写字母、数字或下划线，3到20位，如 zhangsan</source>
        <translation>Lowercase letters, digits or underscore, 3 to 20, e.g. zhangsan</translation>
    </message>
    <message>
        <source>真实姓名，如 张三</source>
        <translation>Real name, e.g. Zhang San</translation>
    </message>
    <message>
        <source>至少8位</source>
        <translation>At least 8 characters</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再输一次密码</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
</context>
<context>
    <name>OperatorPage</name>
    <message>
        <source>第三步：第一位值班人员</source>
        <translation>Step 3: the first operator</translation>
    </message>
    <message>
        <source>这个账号是本站的管理员，以后可以在“设置”里添加其他人员。请记住密码。</source>
        <translation>This account is the station administrator; more operators can be added later in &quot;Settings&quot;. Remember the password.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <source>办理情况</source>
        <translation>Progress</translation>
    </message>
</context>
<context>
    <name>RecordList</name>
    <message>
        <source>记录类型</source>
        <translation>Record type</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>RenameStationDialog</name>
    <message>
        <source>修改站点名称</source>
        <translation>Rename the station</translation>
    </message>
    <message>
        <source>新名称印在以后打印的回执和告知书上；已经打印的不变。本站的区划和同步身份不变。</source>
        <translation>The new name is printed on receipts and notices from now on; those already printed stay as they are. The station&apos;s area and its identity for sync do not change.</translation>
    </message>
    <message>
        <source>站点名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RequestExtensionDialog</name>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>申请延长天数</source>
        <translation>Days requested</translation>
    </message>
    <message>
        <source>延期理由（将告知信访人）</source>
        <translation>Reason for extension (the petitioner will be told)</translation>
    </message>
    <message>
        <source>信访工作条例第34条：办理期限最多延长30日，须经转办（交办）单位或上级批准，并告知信访人延期理由。</source>
        <translation>Regulations Art. 34: at most 30 more days, approved by the transferring (assigning) unit or the level above, and the petitioner is told why.</translation>
    </message>
</context>
<context>
    <name>ResolveConflictDialog</name>
    <message>
        <source>采用</source>
        <translation>Adopt</translation>
    </message>
    <message>
        <source>裁定理由</source>
        <translation>Reason for the choice</translation>
    </message>
    <message>
        <source>另一个决定将作废，但仍保留在办理过程中。</source>
        <translation>The other decision becomes void but stays in the history.</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>恢复前自动保存的数据</source>
        <translation>data saved automatically before a restore</translation>
    </message>
    <message>
        <source>升级前自动保存的数据</source>
        <translation>Data saved automatically before an upgrade</translation>
    </message>
    <message>
        <source>备份</source>
        <translation>backup</translation>
    </message>
    <message>
        <source>恢复备份</source>
        <translation>Restore a backup</translation>
    </message>
    <message>
        <source>要把本站数据恢复到这个备份：
%1

恢复前会先把现在的数据另存一份（列在备份中），这个备份之后登记和办理的记录会保留下来。恢复后请大家重新登录。
需要管理员的用户名和密码。</source>
        <translation>The station&apos;s data will be restored to this backup:
%1

The data as it is now is saved first (it appears among the backups), and records registered or handled after this backup are kept. Everyone logs in again afterwards.
An administrator&apos;s user name and password are needed.</translation>
    </message>
    <message>
        <source>我确认恢复到这个备份</source>
        <translation>I confirm: restore to this backup</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>请先勾选“我确认恢复到这个备份”。</source>
        <translation>Tick &quot;I confirm: restore to this backup&quot; first.</translation>
    </message>
</context>
<context>
    <name>SendBackDialog</name>
    <message>
        <source>发回重办理由</source>
        <translation>Reason for sending back</translation>
    </message>
</context>
<context>
    <name>ServeDialog</name>
    <message>
        <source>信访人收到书面答复的日期</source>
        <translation>Date the petitioner received the written reply</translation>
    </message>
    <message>
        <source>送达方式</source>
        <translation>Method of service</translation>
    </message>
    <message>
        <source>例如：挂号信回执编号、签收人</source>
        <translation>e.g. registered-mail receipt number, who signed</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>信访人可自收到书面答复之日起30日内申请复查、复核（信访工作条例第35、36条）。请按送达回证或邮件签收的日期填写。</source>
        <translation>The petitioner may request a review or re-review within 30 days of receiving the written reply (Regulations on Letters and Visits, Arts. 35, 36). Enter the date on the proof of service or the postal receipt.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>显示</source>
        <translation>Display</translation>
    </message>
    <message>
        <source>大字模式（字体放大，适合老花眼）</source>
        <translation>Large font mode (bigger text, easier to read)</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>本站信息</source>
        <translation>This station</translation>
    </message>
    <message>
        <source>修改站点名称…</source>
        <translation>Rename the station…</translation>
    </message>
    <message>
        <source>站点名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <source>所在地区</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>值班人员</source>
        <translation>Operators</translation>
    </message>
    <message>
        <source>添加值班人员</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <source>修改我的密码</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>无人操作多久后锁定屏幕：</source>
        <translation>Lock the screen after no use for:</translation>
    </message>
    <message>
        <source>数据备份</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>插入U盘时，自动把当天的备份复制到U盘（U盘里的“诉求通备份”文件夹）</source>
        <translation>When a USB stick is plugged in, copy today&apos;s backup to it automatically (the “诉求通备份” folder on the stick)</translation>
    </message>
    <message>
        <source>%1（%2，%3）</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>备份成功（%1）。</source>
        <translation>Backup done (%1).</translation>
    </message>
    <message>
        <source>选择备份文件</source>
        <translation>Choose a backup file</translation>
    </message>
    <message>
        <source>诉求通备份 (*.db);;所有文件 (*)</source>
        <translation>Suqiu backups (*.db);;All files (*)</translation>
    </message>
    <message>
        <source>已恢复。</source>
        <translation>Restored.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>立即备份</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source> — 已停用</source>
        <translation> — disabled</translation>
    </message>
    <message>
        <source>还没有备份。</source>
        <translation>No backups yet.</translation>
    </message>
    <message>
        <source>每天第一次打开软件时自动备份。恢复时需要管理员的密码；恢复前会先把现在的数据另存一份。</source>
        <translation>A backup is made automatically the first time the program opens each day. Restoring needs an administrator&apos;s password; the current data is saved first.</translation>
    </message>
    <message>
        <source>恢复所选备份…</source>
        <translation>Restore the selected backup…</translation>
    </message>
    <message>
        <source>从其他位置恢复…</source>
        <translation>Restore from another place…</translation>
    </message>
    <message>
        <source>密码已修改，下次登录请用新密码。</source>
        <translation>Password changed; use the new one next time you log in.</translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation>Backing up…</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>签收后本单位负责办理；认为不属于本单位职责的，请在签收前、收到之日起5个工作日内提出转办异议（信访工作条例第23条）。</source>
        <translation>After signing, your unit handles the case; if it is not your unit&apos;s duty, object before signing, within 5 working days of receiving it (Regulations Art. 23).</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>第二步：站点名称</source>
        <translation>Step 2: station name</translation>
    </message>
    <message>
        <source>这个名称会印在给群众的回执上。</source>
        <translation>This name is printed on the receipts petitioners get.</translation>
    </message>
    <message>
        <source>站点名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <source>群众诉求站</source>
        <translation> complaint station</translation>
    </message>
    <message>
        <source>群众诉求中心</source>
        <translation> complaint centre</translation>
    </message>
</context>
<context>
    <name>SubmitReportDialog</name>
    <message>
        <source>办结报告</source>
        <translation>Conclusion report</translation>
    </message>
    <message>
        <source>报送交办单位审核；审核不通过的，会发回重办。</source>
        <translation>Sent to the assigning unit for review; if not accepted, it is sent back.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>与县服务器同步</source>
        <translation>Sync with the county server</translation>
    </message>
    <message>
        <source>被服务器退回的记录</source>
        <translation>Records rejected by the server</translation>
    </message>
    <message>
        <source>退回时间</source>
        <translation>Rejected at</translation>
    </message>
    <message>
        <source>这些记录仍保存在本机，不会丢失；请联系县群众诉求中心处理。</source>
        <translation>These records stay on this PC and are not lost; contact the county centre.</translation>
    </message>
    <message>
        <source>县里处理好后，重新上报这些记录</source>
        <translation>Send these records again once the county has dealt with them</translation>
    </message>
    <message>
        <source>例如县服务器升级后。仍被退回的记录会再次列在这里。</source>
        <translation>For example after the county server was upgraded. Records refused again are listed here again.</translation>
    </message>
    <message>
        <source>收到后无法读取的记录</source>
        <translation>Records received that could not be read</translation>
    </message>
    <message>
        <source>收到时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>这些记录已单独存放，其他记录照常同步；每次同步会自动重试。</source>
        <translation>These records were set aside; everything else syncs as usual. Each sync tries them again.</translation>
    </message>
    <message>
        <source>注册到县服务器</source>
        <translation>Enroll with the county server</translation>
    </message>
    <message>
        <source>县里发的注册码，例如 K7QH-3MXP</source>
        <translation>Enrollment code from the county, e.g. K7QH-3MXP</translation>
    </message>
    <message>
        <source>注册</source>
        <translation>Enroll</translation>
    </message>
    <message>
        <source>注册码</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <source>同步：未注册县服务器 · 待上报 %1 条</source>
        <translation>Sync: not enrolled with the county server · %1 waiting to send</translation>
    </message>
    <message>
        <source>县服务器：已注册
上次成功同步：%1
待上报：%2 条&#x3000;被退回：%3 条</source>
        <translation>County server: enrolled
Last successful sync: %1
Waiting to send: %2   Sent back: %3</translation>
    </message>
    <message>
        <source>注册成功，现在可以同步了。</source>
        <translation>Enrolled. You can sync now.</translation>
    </message>
    <message>
        <source>例如 http://10.1.2.3:8470</source>
        <translation>e.g. http://10.1.2.3:8470</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>U盘离线同步</source>
        <translation>Offline sync by USB stick</translation>
    </message>
    <message>
        <source>导出数据包…</source>
        <translation>Export bundle…</translation>
    </message>
    <message>
        <source>导入数据包…</source>
        <translation>Import bundle…</translation>
    </message>
    <message>
        <source>写返回数据包…</source>
        <translation>Write return bundle…</translation>
    </message>
    <message>
        <source>没有网络的村站：导出数据包，用U盘带到乡镇导入；乡镇同步后写返回数据包带回。</source>
        <translation>Villages without network: export a bundle, carry it on a USB stick to the township to import; after the township syncs, bring back a return bundle.</translation>
    </message>
    <message>
        <source>给村站：</source>
        <translation>For village station: </translation>
    </message>
    <message>
        <source>同步：待上报 %1 条</source>
        <translation>Sync: %1 waiting to send</translation>
    </message>
    <message>
        <source>被退回 %1 条</source>
        <translation>%1 sent back</translation>
    </message>
    <message>
        <source>上次同步 %1</source>
        <translation>last sync %1</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>上次同步没有成功</source>
        <translation>the last sync did not succeed</translation>
    </message>
    <message>
        <source>详细信息：县服务器地址 %1</source>
        <translation>Details: county server address %1</translation>
    </message>
    <message>
        <source>本站尚未注册到县服务器。待上报：%1 条</source>
        <translation>This station is not enrolled with the county server. Waiting to send: %1</translation>
    </message>
    <message>
        <source>请填写服务器地址和注册码。</source>
        <translation>Enter the server address and the enrollment code.</translation>
    </message>
    <message>
        <source>正在注册…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <source>已上传 %1 条，已下载 %2 条（传输数据量：%3）</source>
        <translation>%1 sent, %2 received (data transferred: %3)</translation>
    </message>
    <message>
        <source>
待转报的村站数据包：%1 个</source>
        <translation>
Village bundles waiting to be relayed: %1</translation>
    </message>
    <message>
        <source>上次同步失败：</source>
        <translation>Last sync failed: </translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>导出数据包</source>
        <translation>Export bundle</translation>
    </message>
    <message>
        <source>诉求通数据包 (*.suqiu)</source>
        <translation>Suqiu bundle (*.suqiu)</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>导入数据包</source>
        <translation>Import bundle</translation>
    </message>
    <message>
        <source>诉求通数据包 (*.suqiu);;所有文件 (*)</source>
        <translation>Suqiu bundle (*.suqiu);;All files (*)</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>写返回数据包</source>
        <translation>Write return bundle</translation>
    </message>
    <message>
        <source>正在写返回数据包…</source>
        <translation>Writing return bundle…</translation>
    </message>
    <message>
        <source>同步完成：上报 %1 条，收到 %2 条新记录。</source>
        <translation>Sync done: %1 sent, %2 new records received.</translation>
    </message>
    <message>
        <source>有 %1 条记录被退回，见下方列表。</source>
        <translation>%1 records were rejected; see the list below.</translation>
    </message>
    <message>
        <source>已导入 %1 条记录（新增 %2 条），下次同步时转报县服务器。</source>
        <translation>Imported %1 records (%2 new); they go to the county server at the next sync.</translation>
    </message>
    <message>
        <source>已导入返回数据包：新增 %1 条记录，确认已上报 %2 条。</source>
        <translation>Return bundle imported: %1 new records, %2 confirmed as delivered.</translation>
    </message>
    <message>
        <source>已导出 %1 条记录。请把文件带到乡镇群众诉求中心导入。</source>
        <translation>Exported %1 records. Take the file to the township centre to import.</translation>
    </message>
    <message>
        <source>已写出返回数据包（%1 条记录）。</source>
        <translation>Return bundle written (%1 records).</translation>
    </message>
    <message>
        <source>已把 %1 条记录放回待上报，下次同步时重新上报。</source>
        <translation>%1 record(s) queued again; they will be sent with the next sync.</translation>
    </message>
    <message>
        <source>正在同步</source>
        <translation>Syncing</translation>
    </message>
    <message>
        <source>正在同步，现在退出不会丢失数据，下次会继续。确定退出吗？</source>
        <translation>Sync is running; quitting now loses no data and it continues next time. Quit?</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>逾期{n}天</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <source>今天到期</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>剩{n}天</source>
        <translation>{n} days left</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <source>超期办结</source>
        <translation>Concluded late</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>转办到（承办单位）</source>
        <translation>Transfer to (handling unit)</translation>
    </message>
    <message>
        <source>交办到（承办单位）</source>
        <translation>Assign to (handling unit)</translation>
    </message>
    <message>
        <source>转办说明</source>
        <translation>Transfer note</translation>
    </message>
    <message>
        <source>交办说明</source>
        <translation>Assignment note</translation>
    </message>
</context>
<context>
    <name>UnitPicker</name>
    <message>
        <source>输入单位名称或拼音首字母搜索，如 民政局 / minzheng / xmzj</source>
        <translation>Type a unit's name or pinyin initials, e.g. 民政局 / minzheng / xmzj</translation>
    </message>
    <message>
        <source>按类别默认：%1（可以改选其他单位）</source>
        <translation>Default for this category: %1 (you may choose another unit)</translation>
    </message>
    <message>
        <source>已选：%1</source>
        <translation>Chosen: %1</translation>
    </message>
    <message>
        <source>尚未选择单位</source>
        <translation>No unit chosen yet</translation>
    </message>
    <message>
        <source>没有找到这个单位，请换个写法（名称、简称或拼音首字母）</source>
        <translation>No such unit; try another spelling (name, short name or pinyin initials)</translation>
    </message>
</context>
<context>
    <name>UrgeDialog</name>
    <message>
        <source>督办意见</source>
        <translation>Supervision note</translation>
    </message>
    <message>
        <source>限期办理到</source>
        <translation>Handle by</translation>
    </message>
    <message>
        <source>督办后可在案件页打印督办单，送承办单位。</source>
        <translation>After supervising, print the supervision notice on the case page for the handling unit.</translation>
    </message>
</context>
<context>
    <name>UsbWatcher</name>
    <message>
        <source>今天的备份已复制到U盘（“诉求通备份”文件夹）。</source>
        <translation>Today&apos;s backup has been copied to the USB stick (the “诉求通备份” folder).</translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <source>很小</source>
        <translation>very little</translation>
    </message>
    <message>
        <source>约 %1 MB</source>
        <translation>about %1 MB</translation>
    </message>
    <message>
        <source>约 %1 GB</source>
        <translation>about %1 GB</translation>
    </message>
    <message>
        <source>查找范围(&amp;L)：</source>
        <translation>&amp;Look in:</translation>
    </message>
    <message>
        <source>文件名(&amp;N)：</source>
        <translation>File &amp;name:</translation>
    </message>
    <message>
        <source>文件类型(&amp;T)：</source>
        <translation>Files of &amp;type:</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>打开(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <source>待签收</source>
        <translation>To sign for</translation>
    </message>
    <message>
        <source>待受理</source>
        <translation>To accept</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>In hand</translation>
    </message>
    <message>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>待审核办结</source>
        <translation>Reports to review</translation>
    </message>
    <message>
        <source>督办中</source>
        <translation>Being urged</translation>
    </message>
    <message>
        <source>复查复核</source>
        <translation>Reviews</translation>
    </message>
</context>
<context>
    <name>WorkbenchPage</name>
    <message>
        <source>工作队列</source>
        <translation>Work queues</translation>
    </message>
    <message>
        <source>本单位要办、要审、要督的案件，按到期时间排列。按 Enter 打开案件。</source>
        <translation>The cases your unit must handle, review or urge, nearest deadline first. Press Enter to open a case.</translation>
    </message>
    <message>
        <source>批量督办…</source>
        <translation>Urge several…</translation>
    </message>
    <message>
        <source>选中几件案件（Shift 或 Ctrl 多选），一次发出督办</source>
        <translation>Select several cases (Shift or Ctrl) and urge them at once</translation>
    </message>
    <message>
        <source>已督办 %1 件。</source>
        <translation>%1 cases urged.</translation>
    </message>
    <message>
        <source>%1 件未能督办：</source>
        <translation>%1 cases could not be urged:</translation>
    </message>
</context>
</TS>
